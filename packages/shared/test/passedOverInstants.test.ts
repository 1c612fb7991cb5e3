import { describe, expect, it } from "vitest";
import {
  BACKFILL_COUNT_LIMIT,
  MAX_LISTED_PASSED_OVER,
  compileExclusions,
  listBackfillInstants,
  listPreviewInstants,
  type ScheduleTiming,
} from "../src/index.js";

const cronTiming = (cron: string, timezone: string): ScheduleTiming => ({
  cron,
  intervalSeconds: null,
  runAt: null,
  timezone,
  startAt: null,
  endAt: null,
  intervalAnchorAt: null,
});
const iso = (d: Date) => d.toISOString();

describe("the preview's instants", () => {
  const daily = cronTiming("0 9 * * *", "Asia/Ho_Chi_Minh");
  const holidays = compileExclusions(
    [],
    ["vn-public-holidays"],
    [{ name: "vn-public-holidays", dates: ["2027-09-02"] }],
  );

  it("keeps Thu 2027-09-02 in the list, marked excluded by its calendar, and still gives three that fire", () => {
    const { instants, hasUnlistedPassedOver } = listPreviewInstants(daily, {
      from: new Date("2027-09-01T00:00:00Z"),
      count: 3,
      matchers: holidays,
    });
    expect(instants.map((i) => [iso(i.at), i.exclusion?.calendar ?? null])).toEqual([
      ["2027-09-01T02:00:00.000Z", null],
      ["2027-09-02T02:00:00.000Z", "vn-public-holidays"],
      ["2027-09-03T02:00:00.000Z", null],
      ["2027-09-04T02:00:00.000Z", null],
    ]);
    expect(hasUnlistedPassedOver).toBe(false);
  });

  it("marks an instant skipped by hand with its reason and does not count it", () => {
    const skipped = new Map([[Date.parse("2027-09-03T02:00:00Z"), "skipped by alice"]]);
    const { instants } = listPreviewInstants(daily, {
      from: new Date("2027-09-02T12:00:00Z"),
      count: 2,
      matchers: [],
      skipped,
    });
    expect(instants.map((i) => [iso(i.at), i.skipReason])).toEqual([
      ["2027-09-03T02:00:00.000Z", "skipped by alice"],
      ["2027-09-04T02:00:00.000Z", null],
      ["2027-09-05T02:00:00.000Z", null],
    ]);
  });

  it("lists at most 100 excluded fires of a per-minute schedule, then passes the rest of the day over", () => {
    const everyMinute = cronTiming("* * * * *", "Europe/Berlin");
    const { instants, hasUnlistedPassedOver } = listPreviewInstants(everyMinute, {
      from: new Date("2027-12-23T22:58:00Z"), // 23:58 in Berlin, the evening before
      count: 2,
      matchers: compileExclusions(["2027-12-24"], [], []),
    });
    const excluded = instants.filter((i) => i.exclusion !== null);
    const firing = instants.filter((i) => i.exclusion === null).map((i) => iso(i.at));
    expect(excluded).toHaveLength(MAX_LISTED_PASSED_OVER);
    expect(iso(excluded[0]!.at)).toBe("2027-12-23T23:00:00.000Z"); // 00:00 on the 24th
    expect(firing).toEqual(["2027-12-23T22:59:00.000Z", "2027-12-24T23:00:00.000Z"]); // 00:00 on the 25th
    expect(hasUnlistedPassedOver).toBe(true);
  });

  it("jumps over an excluded day whose midnight does not exist (Santiago, 2026-09-06)", () => {
    const everyHalfHour = cronTiming("0,30 * * * *", "America/Santiago");
    const { instants } = listPreviewInstants(everyHalfHour, {
      from: new Date("2026-09-05T12:00:00Z"),
      count: 1,
      matchers: compileExclusions(["2026-09-05/2026-09-06"], [], []),
    });
    // Listed: 08:30 .. 23:30 on the 5th and the 6th from 01:00 (-03) on, until the cap.
    expect(iso(instants[0]!.at)).toBe("2026-09-05T12:30:00.000Z");
    expect(iso(instants.at(-1)!.at)).toBe("2026-09-07T03:00:00.000Z"); // 00:00 on the 7th
    expect(instants.at(-1)!.exclusion).toBeNull();
  });
});

describe("the instants of a backfill range", () => {
  const hourly = cronTiming("0 * * * *", "UTC");

  it("holds both ends: 00:00 to 03:00 of an hourly schedule is four instants", () => {
    const range = listBackfillInstants(
      hourly,
      [],
      new Date("2027-03-01T00:00:00Z"),
      new Date("2027-03-01T03:00:00Z"),
    );
    expect(range.isOverCap).toBe(false);
    if (range.isOverCap) return;
    expect(range.instants.map((i) => iso(i.at))).toEqual([
      "2027-03-01T00:00:00.000Z",
      "2027-03-01T01:00:00.000Z",
      "2027-03-01T02:00:00.000Z",
      "2027-03-01T03:00:00.000Z",
    ]);
  });

  it("marks the instants of an excluded date, in the schedule's zone", () => {
    const range = listBackfillInstants(
      cronTiming("0 23 * * *", "America/New_York"),
      compileExclusions(["2027-01-01"], [], []),
      new Date("2026-12-31T12:00:00Z"),
      new Date("2027-01-03T00:00:00Z"),
    );
    if (range.isOverCap) throw new Error("not over the cap");
    // 23:00 New York on the 1st is 04:00Z on the 2nd: excluded by the local date, not the UTC one.
    expect(range.instants.map((i) => [iso(i.at), i.exclusion?.date ?? null])).toEqual([
      ["2027-01-01T04:00:00.000Z", null],
      ["2027-01-02T04:00:00.000Z", "2027-01-01"],
    ]);
  });

  it("counts the instants of a range over the cap: three hours of a per-second schedule are 10,801", () => {
    const range = listBackfillInstants(
      cronTiming("* * * * * *", "UTC"),
      [],
      new Date("2027-03-01T00:00:00Z"),
      new Date("2027-03-01T03:00:00Z"),
    );
    expect(range).toEqual({ isOverCap: true, count: 10_801, isCountCapped: false });
  });

  it("stops counting at 100,000 and says so", () => {
    const range = listBackfillInstants(
      { ...hourly, cron: null, intervalSeconds: 1, intervalAnchorAt: new Date("2027-01-01T00:00:00Z") },
      [],
      new Date("2027-03-01T00:00:00Z"),
      new Date("2027-03-03T00:00:00Z"),
    );
    expect(range).toEqual({ isOverCap: true, count: BACKFILL_COUNT_LIMIT, isCountCapped: true });
  });

  it("is empty when to is before from", () => {
    const range = listBackfillInstants(
      hourly,
      [],
      new Date("2027-03-02T00:00:00Z"),
      new Date("2027-03-01T00:00:00Z"),
    );
    expect(range).toEqual({ isOverCap: false, instants: [] });
  });
});
