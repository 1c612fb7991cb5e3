import { describe, expect, it } from "vitest";
import { compileExclusions, type ScheduleTiming } from "@hotbeat/shared";
import { planDueFires, type DueInput } from "../src/index.js";

const dailyInSantiago: ScheduleTiming = {
  cron: "30 0 * * *",
  intervalSeconds: null,
  runAt: null,
  timezone: "America/Santiago",
  startAt: null,
  endAt: null,
  intervalAnchorAt: null,
};

function plan(overrides: Partial<DueInput>) {
  const result = planDueFires({
    timing: dailyInSantiago,
    nextAt: new Date("2026-09-06T04:30:00Z"),
    cursorAt: new Date("2026-09-05T04:30:00Z"),
    nowMs: Date.parse("2026-09-06T04:30:00.020Z"),
    graceMs: 300_000,
    jitterMs: 0,
    policy: "run_once",
    exclusions: compileExclusions(["2026-09-06"], [], []),
    ...overrides,
  });
  return {
    fireAt: result.fireAt.map((d) => d.toISOString()),
    missedAt: result.missedAt.map((d) => d.toISOString()),
    unfired: result.unfired.map((u) => `${u.at.toISOString()} ${u.status} ${u.reason}`),
    through: result.cursorAt.toISOString(),
  };
}

describe("planning what is due on an excluded date", () => {
  it("records the on-time fire of an excluded date as skipped with the date, and moves past it", () => {
    // 00:30 does not exist on 2026-09-06 in Santiago (midnight is skipped): it fires at 01:30 -03.
    expect(plan({})).toEqual({
      fireAt: [],
      missedAt: [],
      unfired: ["2026-09-06T04:30:00.000Z skipped excluded: 2026-09-06"],
      through: "2026-09-06T04:30:00.000Z",
    });
  });

  it("fires the instant of the evening before, whose UTC date is the excluded one", () => {
    const evening = { ...dailyInSantiago, cron: "30 23 * * *" };
    expect(
      plan({
        timing: evening,
        nextAt: new Date("2026-09-06T03:30:00Z"),
        nowMs: Date.parse("2026-09-06T03:30:00.020Z"),
      }).fireAt,
    ).toEqual(["2026-09-06T03:30:00.000Z"]);
  });

  it("lets run_once replay the latest missed fire that is not excluded, and records the excluded one as skipped", () => {
    const result = plan({
      cursorAt: new Date("2026-09-04T04:30:00Z"),
      nextAt: new Date("2026-09-05T04:30:00Z"),
      nowMs: Date.parse("2026-09-06T12:00:00Z"),
    });
    expect(result).toEqual({
      fireAt: ["2026-09-05T04:30:00.000Z"],
      missedAt: ["2026-09-05T04:30:00.000Z"],
      unfired: ["2026-09-06T04:30:00.000Z skipped excluded: 2026-09-06"],
      through: "2026-09-06T12:00:00.000Z",
    });
  });

  it("names the calendar in the reason when the date is one of a calendar's", () => {
    const result = plan({
      exclusions: compileExclusions([], ["cl-holidays"], [{ name: "cl-holidays", dates: ["2026-09-06"] }]),
    });
    expect(result.unfired).toEqual([
      "2026-09-06T04:30:00.000Z skipped excluded by calendar cl-holidays (2026-09-06)",
    ]);
  });
});
