import { describe, expect, it } from "vitest";
import type { ScheduleTiming } from "../src/schedules/model.js";
import { computeScheduleWarnings } from "../src/schedules/warnings.js";

const NONE = {
  cron: null,
  intervalSeconds: null,
  runAt: null,
  startAt: null,
  endAt: null,
  intervalAnchorAt: null,
};
const NOW = new Date("2026-01-01T00:00:00Z");

function cronTiming(cron: string, timezone = "UTC"): ScheduleTiming {
  return { ...NONE, cron, timezone };
}

describe("computeScheduleWarnings", () => {
  it("says nothing about an ordinary daily cron in a zone without DST", () => {
    expect(computeScheduleWarnings(cronTiming("15 9 * * *", "Asia/Ho_Chi_Minh"), NOW)).toEqual([]);
  });

  it("warns that day-of-week 0 is Sunday", () => {
    expect(computeScheduleWarnings(cronTiming("0 8 * * 0"), NOW)).toEqual([
      "day-of-week 0 is Sunday; Monday is 1",
    ]);
    expect(computeScheduleWarnings(cronTiming("0 8 * * 0-4"), NOW)).toEqual([
      "day-of-week 0 is Sunday; Monday is 1",
    ]);
  });

  it("warns that 0#2 and 0L are Sundays too", () => {
    for (const cron of ["0 8 * * 0#2", "0 8 * * 0L"])
      expect(computeScheduleWarnings(cronTiming(cron), NOW)).toContain(
        "day-of-week 0 is Sunday; Monday is 1",
      );
  });

  it("reads H in a DST warning as the time the schedule's name hashes to", () => {
    const timing = { ...cronTiming("H 2 * * *", "America/New_York"), name: "nightly-report" };
    // H hashes "nightly-report" to minute 19, stable forever.
    expect(computeScheduleWarnings(timing, NOW)).toEqual([
      "on 2026-03-08 clocks in America/New_York jump from 02:00 to 03:00, so 02:19 does not exist that day: it fires 1 h later, at 03:19 (2026-03-08T07:19:00.000Z)",
    ]);
  });

  it("does not warn about Sunday written as SUN, as 7, or through @weekly", () => {
    expect(computeScheduleWarnings(cronTiming("0 8 * * SUN"), NOW)).toEqual([]);
    expect(computeScheduleWarnings(cronTiming("0 8 * * 7"), NOW)).toEqual([]);
    expect(computeScheduleWarnings(cronTiming("@weekly"), NOW)).toEqual([]);
    expect(computeScheduleWarnings(cronTiming("0 8 * * 1"), NOW)).toEqual([]);
  });

  it("warns that a restricted day-of-month and day-of-week fire on either (cron OR)", () => {
    expect(computeScheduleWarnings(cronTiming("0 8 1 * 1"), NOW)).toEqual([
      "day-of-month (1) and day-of-week (1) are both restricted, so the schedule fires when either matches (cron OR), not only when both do",
    ]);
    expect(computeScheduleWarnings(cronTiming("0 8 1 * *"), NOW)).toEqual([]);
  });

  it("warns about an interval under five minutes", () => {
    expect(computeScheduleWarnings({ ...NONE, intervalSeconds: 60, timezone: "UTC" }, NOW)).toEqual([
      "intervalSeconds is 60: it fires every 60 seconds, more often than every 5 minutes",
    ]);
    expect(computeScheduleWarnings({ ...NONE, intervalSeconds: 300, timezone: "UTC" }, NOW)).toEqual([]);
  });

  it("warns that 02:30 in New York does not exist on 2026-03-08 and fires at 03:30", () => {
    expect(computeScheduleWarnings(cronTiming("30 2 * * *", "America/New_York"), NOW)).toEqual([
      "on 2026-03-08 clocks in America/New_York jump from 02:00 to 03:00, so 02:30 does not exist that day: " +
        "it fires 1 h later, at 03:30 (2026-03-08T07:30:00.000Z)",
    ]);
  });

  it("warns that 01:30 in New York occurs twice on 2026-11-01 and fires at the first", () => {
    expect(computeScheduleWarnings(cronTiming("30 1 * * *", "America/New_York"), NOW)).toEqual([
      "on 2026-11-01 clocks in America/New_York go back from 02:00 to 01:00, so 01:30 occurs twice: " +
        "it fires once, at the first (01:30 -04:00, 2026-11-01T05:30:00.000Z)",
    ]);
  });

  it("warns about Lord Howe's half-hour gap with the half-hour shift", () => {
    expect(computeScheduleWarnings(cronTiming("15 2 * * *", "Australia/Lord_Howe"), NOW)).toEqual([
      "on 2026-10-04 clocks in Australia/Lord_Howe jump from 02:00 to 02:30, so 02:15 does not exist that day: " +
        "it fires 30 min later, at 02:45 (2026-10-03T15:45:00.000Z)",
    ]);
  });

  it("summarises several fixed times caught in one change", () => {
    expect(computeScheduleWarnings(cronTiming("*/10 1-2 * * *", "America/New_York"), NOW)).toEqual([
      "on 2026-03-08 clocks in America/New_York jump from 02:00 to 03:00, so 6 run times from 02:00 to 02:50 " +
        "do not exist that day: each fires 1 h later, the first at 03:00 (2026-03-08T07:00:00.000Z)",
      "on 2026-11-01 clocks in America/New_York go back from 02:00 to 01:00, so 6 run times from 01:00 to 01:50 " +
        "occur twice: each fires once, at its first occurrence (the first at 01:00 -04:00, 2026-11-01T05:00:00.000Z)",
    ]);
  });

  it("looks only one year ahead of now", () => {
    expect(
      computeScheduleWarnings(cronTiming("30 2 * * *", "America/New_York"), new Date("2026-03-09T00:00:00Z")),
    ).toEqual([]);
    expect(
      computeScheduleWarnings(cronTiming("30 2 * * *", "America/New_York"), new Date("2026-03-20T00:00:00Z")),
    ).toEqual([
      "on 2027-03-14 clocks in America/New_York jump from 02:00 to 03:00, so 02:30 does not exist that day: " +
        "it fires 1 h later, at 03:30 (2027-03-14T07:30:00.000Z)",
    ]);
  });

  it("does not warn about a wildcard-hour job, which keeps real-time rhythm", () => {
    expect(computeScheduleWarnings(cronTiming("0 * * * *", "America/New_York"), NOW)).toEqual([]);
    expect(computeScheduleWarnings(cronTiming("*/15 */2 * * *", "America/New_York"), NOW)).toEqual([]);
  });

  it("warns about a schedule that never fires", () => {
    expect(computeScheduleWarnings(cronTiming("0 0 31 2 *"), NOW)).toEqual([
      "the schedule never fires after now",
    ]);
    const past = { ...NONE, runAt: new Date("2025-06-01T00:00:00Z"), timezone: "UTC" };
    expect(computeScheduleWarnings(past, NOW)).toEqual(["the schedule never fires after now"]);
  });
});

describe("DST warnings on the same day", () => {
  it("no longer announce a change once it has passed, later that same day", () => {
    const timing = cronTiming("30 2 * * *", "America/New_York");
    // Clocks jump at 2026-03-08T07:00:00Z; both instants are on that UTC day.
    const before = computeScheduleWarnings(timing, new Date("2026-03-08T06:59:00Z"));
    const after = computeScheduleWarnings(timing, new Date("2026-03-08T07:01:00Z"));
    expect(before[0]).toMatch(/^on 2026-03-08 clocks in America\/New_York jump/);
    expect(after.some((warning) => warning.startsWith("on 2026-03-08"))).toBe(false);
  });
});
