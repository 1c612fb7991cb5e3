import { describe, expect, it } from "vitest";
import { startLoop } from "../src/timeline/clock.js";
import { FakeClock } from "./fakeClock.js";

describe("a loop with a phase", () => {
  it("starts its rounds a quarter second past each half second, wherever it was started", async () => {
    const clock = new FakeClock(Date.parse("2026-12-02T08:00:00.100Z"));
    const roundsAt: string[] = [];
    const stop = startLoop(
      clock,
      500,
      () => Promise.resolve(void roundsAt.push(new Date(clock.now()).toISOString().slice(17))),
      () => undefined,
      250,
    );
    for (let i = 0; i < 3; i += 1) {
      clock.advance(500);
      // The next round is armed once this one's promise has settled.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    stop();
    expect(roundsAt).toEqual(["00.250Z", "00.750Z", "01.250Z"]);
  });

  it("without a phase, waits its interval after each round", async () => {
    const clock = new FakeClock(Date.parse("2026-12-02T08:00:00.100Z"));
    const roundsAt: string[] = [];
    const stop = startLoop(
      clock,
      500,
      () => Promise.resolve(void roundsAt.push(new Date(clock.now()).toISOString().slice(17))),
      () => undefined,
    );
    for (let i = 0; i < 2; i += 1) {
      clock.advance(500);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    stop();
    expect(roundsAt).toEqual(["00.600Z", "01.100Z"]);
  });
});
