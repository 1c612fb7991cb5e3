import { describe, expect, it } from "vitest";
import { MAX_TIMEOUT_MS, createWakeTimer } from "../src/index.js";
import { FakeClock } from "./fakeClock.js";

const DAY_MS = 86_400_000;

describe("the wake timer", () => {
  it("never asks for more than 2^31-1 ms and wakes exactly once at a target 40 days away", () => {
    const clock = new FakeClock(Date.parse("2030-01-01T00:00:00Z"));
    let wakes = 0;
    const timer = createWakeTimer({ clock, onWake: () => (wakes += 1) });
    const target = clock.now() + 40 * DAY_MS;
    timer.arm(target);
    expect(clock.delays).toEqual([MAX_TIMEOUT_MS]);
    clock.advance(MAX_TIMEOUT_MS);
    expect(wakes).toBe(0);
    expect(clock.delays).toEqual([MAX_TIMEOUT_MS, 40 * DAY_MS - MAX_TIMEOUT_MS]);
    clock.advance(40 * DAY_MS - MAX_TIMEOUT_MS);
    expect(wakes).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it("goes back to sleep when woken early, for the time that is left", () => {
    const clock = new FakeClock(1_000_000);
    let wakes = 0;
    const timer = createWakeTimer({ clock, onWake: () => (wakes += 1) });
    timer.arm(1_005_000);
    clock.advance(3000);
    clock.fireNextEarly();
    expect(wakes).toBe(0);
    expect(clock.delays).toEqual([5000, 2000]);
    clock.advance(2000);
    expect(wakes).toBe(1);
  });

  it("notices a forward clock jump within maxSleepMs and fires what is due", () => {
    const clock = new FakeClock(Date.parse("2030-01-01T00:00:00Z"));
    let wakes = 0;
    const timer = createWakeTimer({ clock, onWake: () => (wakes += 1), maxSleepMs: 10_000 });
    timer.arm(clock.now() + 3_600_000);
    clock.jump(2 * 3_600_000);
    expect(wakes).toBe(0);
    clock.advance(10_000);
    expect(wakes).toBe(1);
  });

  it("wakes at once for a target already past (a late or a backward-armed instant)", () => {
    const clock = new FakeClock(50_000);
    let wakes = 0;
    const timer = createWakeTimer({ clock, onWake: () => (wakes += 1) });
    timer.arm(10_000);
    expect(clock.delays).toEqual([0]);
    clock.advance(0);
    expect(wakes).toBe(1);
  });

  it("keeps one timer when re-armed, and none when disarmed", () => {
    const clock = new FakeClock(0);
    const timer = createWakeTimer({ clock, onWake: () => undefined });
    timer.arm(5000);
    timer.arm(3000);
    timer.arm(3000);
    expect(clock.pending).toBe(1);
    expect(timer.armedAtMs()).toBe(3000);
    timer.arm(undefined);
    expect(clock.pending).toBe(0);
  });
});
