import { describe, expect, it } from "vitest";
import { startLoop } from "../src/timeline/clock.js";
import { FakeClock } from "./fakeClock.js";

/** The seconds (past the minute) at which a 500 ms loop started at 08:00:00.100 runs its rounds. */
async function roundsOf(rounds: number, phaseMs?: number): Promise<string[]> {
  const clock = new FakeClock(Date.parse("2026-12-02T08:00:00.100Z"));
  const roundsAt: string[] = [];
  const record = () => Promise.resolve(void roundsAt.push(new Date(clock.now()).toISOString().slice(17)));
  const stop = startLoop(clock, 500, record, () => undefined, phaseMs);
  for (let i = 0; i < rounds; i += 1) {
    clock.advance(500);
    // The next round is armed once this one's promise has settled.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  stop();
  return roundsAt;
}

describe("a loop with a phase", () => {
  it("starts its rounds a quarter second past each half second, wherever it was started", async () => {
    expect(await roundsOf(3, 250)).toEqual(["00.250Z", "00.750Z", "01.250Z"]);
  });

  it("without a phase, waits its interval after each round", async () => {
    expect(await roundsOf(2)).toEqual(["00.600Z", "01.100Z"]);
  });
});
