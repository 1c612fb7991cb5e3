import { describe, expect, it } from "vitest";
import { RUN_ALL_CAP, type ScheduleTiming } from "@hotbeat/shared";
import { computeJitterMs, planDueFires, type DueInput } from "../src/index.js";

const everyMinute: ScheduleTiming = {
  cron: "* * * * *",
  intervalSeconds: null,
  runAt: null,
  timezone: "UTC",
  startAt: null,
  endAt: null,
  intervalAnchorAt: null,
};

function plan(overrides: Partial<DueInput>) {
  const result = planDueFires({
    timing: everyMinute,
    nextAt: new Date("2030-01-01T09:01:00Z"),
    cursorAt: new Date("2030-01-01T09:00:00Z"),
    nowMs: Date.parse("2030-01-01T09:01:00.020Z"),
    graceMs: 300_000,
    jitterMs: 0,
    policy: "run_once",
    ...overrides,
  });
  return {
    fireAt: result.fireAt.map((d) => d.toISOString()),
    missed: result.missedAt.length,
    cursorAt: result.cursorAt.toISOString(),
  };
}

const tenLate = { nowMs: Date.parse("2030-01-01T09:10:30Z"), graceMs: 0 };

describe("planning what is due", () => {
  it("fires the instant once when the wake is on time", () => {
    expect(plan({})).toEqual({
      fireAt: ["2030-01-01T09:01:00.000Z"],
      missed: 0,
      cursorAt: "2030-01-01T09:01:00.000Z",
    });
  });

  it("still fires an instant that is late but within the grace", () => {
    expect(plan({ nowMs: Date.parse("2030-01-01T09:05:59Z") }).fireAt).toEqual(["2030-01-01T09:01:00.000Z"]);
  });

  it("fires none of ten missed instants under skip", () => {
    expect(plan({ ...tenLate, policy: "skip" })).toEqual({
      fireAt: [],
      missed: 10,
      cursorAt: "2030-01-01T09:10:30.000Z",
    });
  });

  it("fires only the latest of ten missed instants under run_once", () => {
    expect(plan({ ...tenLate, policy: "run_once" }).fireAt).toEqual(["2030-01-01T09:10:00.000Z"]);
  });

  it("fires all ten missed instants under run_all, oldest first", () => {
    const { fireAt } = plan({ ...tenLate, policy: "run_all" });
    expect(fireAt.length).toBe(10);
    expect(fireAt[0]).toBe("2030-01-01T09:01:00.000Z");
    expect(fireAt[9]).toBe("2030-01-01T09:10:00.000Z");
  });

  it("caps run_all at the latest 100 after a long outage", () => {
    const { fireAt } = plan({ nowMs: Date.parse("2030-01-02T09:00:30Z"), graceMs: 0, policy: "run_all" });
    expect(fireAt.length).toBe(RUN_ALL_CAP);
    expect(fireAt.at(-1)).toBe("2030-01-02T09:00:00.000Z");
  });

  it("after an outage fires the instants within the grace and applies the policy to the older ones", () => {
    const result = plan({ nowMs: Date.parse("2030-01-01T09:10:30Z"), graceMs: 120_000, policy: "skip" });
    expect(result.fireAt).toEqual(["2030-01-01T09:09:00.000Z", "2030-01-01T09:10:00.000Z"]);
    expect(result.missed).toBe(8);
  });

  it("returns every instant that will not run with its reason, the older run_once ones included", () => {
    const { unfired } = planDueFires({
      timing: everyMinute,
      nextAt: new Date("2030-01-01T09:01:00Z"),
      cursorAt: new Date("2030-01-01T09:00:00Z"),
      jitterMs: 0,
      policy: "run_once",
      ...tenLate,
    });
    expect(unfired.length).toBe(9);
    expect(`${unfired[0]!.at.toISOString()} ${unfired[0]!.reason}`).toMatch(
      /^2030-01-01T09:01:00.000Z missed: \d+ s late, misfire policy run_once ran the latest$/,
    );
  });

  it("returns the fires within the grace beyond RUN_ALL_CAP after a stall longer than the grace, and fires the latest 100", () => {
    const everySecond = { ...everyMinute, cron: "* * * * * *" };
    const result = planDueFires({
      timing: everySecond,
      nextAt: new Date("2030-01-01T09:00:01Z"),
      cursorAt: new Date("2030-01-01T09:00:00Z"),
      nowMs: Date.parse("2030-01-01T09:05:02Z"),
      graceMs: 300_000,
      jitterMs: 0,
      policy: "skip",
    });
    expect(result.fireAt.length).toBe(RUN_ALL_CAP);
    expect(result.fireAt[0]!.toISOString()).toBe("2030-01-01T09:03:23.000Z");
    expect(result.unfired.length).toBe(202);
    expect(result.unfired[0]!.at.toISOString()).toBe("2030-01-01T09:00:01.000Z");
    expect(result.unfired[0]!.reason).toBe("missed: 301 s late, misfire policy skip");
    expect(result.unfired[1]!.at.toISOString()).toBe("2030-01-01T09:00:02.000Z");
    expect(result.unfired[1]!.reason).toMatch(/more than 100 fires were due at once/);
    expect(result.isTruncated).toBe(false);
  });

  it("gives every fire the same jitter on every replica, below jitterSeconds", () => {
    const at = new Date("2030-01-01T09:00:00Z");
    expect(computeJitterMs("report", at, 30)).toBe(computeJitterMs("report", at, 30));
    const values = Array.from({ length: 50 }, (_, i) =>
      computeJitterMs("report", new Date(at.getTime() + i * 60_000), 30),
    );
    expect(values.every((v) => v >= 0 && v < 30_000)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(40);
    expect(computeJitterMs("report", at, 0)).toBe(0);
  });
});
