import { describe, expect, it } from "vitest";
import {
  compileExclusions,
  computeNextFireTimes,
  describeExclusion,
  findExclusionAt,
  isExcludedAt,
  toLocalDate,
  type ScheduleTiming,
} from "../src/index.js";

const at = (iso: string) => new Date(iso);
const ownDates = (...dates: string[]) => compileExclusions(dates, [], []);

describe("the local date of an instant", () => {
  it("reads 2026-09-06T03:30Z as the 5th in Santiago (23:30 the evening before its midnight is skipped)", () => {
    expect(toLocalDate(at("2026-09-06T03:30:00Z"), "America/Santiago")).toBe("2026-09-05");
  });

  it("reads 2026-09-06T04:30Z as the 6th in Santiago (01:30 just after the skipped midnight)", () => {
    expect(toLocalDate(at("2026-09-06T04:30:00Z"), "America/Santiago")).toBe("2026-09-06");
  });

  it("reads the same instant as different dates in Ho Chi Minh City and in New York", () => {
    expect(toLocalDate(at("2027-01-01T02:00:00Z"), "Asia/Ho_Chi_Minh")).toBe("2027-01-01");
    expect(toLocalDate(at("2027-01-01T02:00:00Z"), "America/New_York")).toBe("2026-12-31");
  });

  it("reads both copies of Santiago's repeated 23:00 hour (fall back at midnight) as the evening's date", () => {
    // 2027-04-04 00:00 -03 falls back to 2027-04-03 23:00 -04.
    expect(toLocalDate(at("2027-04-04T02:30:00Z"), "America/Santiago")).toBe("2027-04-03");
    expect(toLocalDate(at("2027-04-04T03:30:00Z"), "America/Santiago")).toBe("2027-04-03");
    expect(toLocalDate(at("2027-04-04T04:00:00Z"), "America/Santiago")).toBe("2027-04-04");
  });
});

describe("exclusions at fire time", () => {
  it("excludes a 00:30 fire on an excluded date whose midnight Santiago skips, and not 23:30 the day before", () => {
    const matchers = ownDates("2026-09-06");
    expect(isExcludedAt(at("2026-09-06T04:30:00Z"), "America/Santiago", matchers)).toBe(true);
    // In UTC both instants are on the 6th; only the zone's own calendar tells them apart.
    expect(isExcludedAt(at("2026-09-06T03:30:00Z"), "America/Santiago", matchers)).toBe(false);
  });

  it("excludes the 00:30 cron fire that the gap moves to 01:30, as computed by the fire times", () => {
    const timing: ScheduleTiming = {
      cron: "30 0 * * *",
      intervalSeconds: null,
      runAt: null,
      timezone: "America/Santiago",
      startAt: null,
      endAt: null,
      intervalAnchorAt: null,
    };
    const fires = computeNextFireTimes(timing, at("2026-09-05T00:00:00Z"), 3);
    expect(fires.map((fire) => fire.toISOString())).toEqual([
      "2026-09-05T04:30:00.000Z",
      "2026-09-06T04:30:00.000Z",
      "2026-09-07T03:30:00.000Z",
    ]);
    const matchers = ownDates("2026-09-06");
    expect(fires.map((fire) => isExcludedAt(fire, timing.timezone, matchers))).toEqual([false, true, false]);
  });

  it("excludes every day of a range across February's leap day and a month end, and not the days around it", () => {
    const matchers = ownDates("2028-02-28/2028-03-01");
    const zone = "Europe/Berlin";
    expect(isExcludedAt(at("2028-02-27T22:59:59Z"), zone, matchers)).toBe(false); // 23:59:59 on the 27th
    expect(isExcludedAt(at("2028-02-27T23:00:00Z"), zone, matchers)).toBe(true); // 00:00 on the 28th
    expect(findExclusionAt(at("2028-02-29T12:00:00Z"), zone, matchers)).toEqual({
      date: "2028-02-29",
      calendar: null,
      entry: "2028-02-28/2028-03-01",
    });
    expect(isExcludedAt(at("2028-03-01T22:59:59Z"), zone, matchers)).toBe(true); // 23:59:59 on the 1st
    expect(isExcludedAt(at("2028-03-01T23:00:00Z"), zone, matchers)).toBe(false); // 00:00 on the 2nd
  });

  it("excludes a range over a month end in a year without a leap day, 2027-02-27/2027-03-01", () => {
    const matchers = ownDates("2027-02-27/2027-03-01");
    for (const day of ["2027-02-27", "2027-02-28", "2027-03-01"])
      expect(isExcludedAt(at(`${day}T12:00:00Z`), "UTC", matchers)).toBe(true);
    expect(isExcludedAt(at("2027-03-02T00:00:00Z"), "UTC", matchers)).toBe(false);
  });

  it("names the calendar that holds the date, after the schedule's own dates", () => {
    const matchers = compileExclusions(
      ["2027-01-01"],
      ["vn-public-holidays", "not-a-calendar"],
      [{ name: "vn-public-holidays", dates: ["2027-01-01", "2027-09-02"] }],
    );
    const zone = "Asia/Ho_Chi_Minh";
    const newYear = findExclusionAt(at("2027-01-01T02:00:00Z"), zone, matchers);
    const nationalDay = findExclusionAt(at("2027-09-02T02:00:00Z"), zone, matchers);
    expect(describeExclusion(newYear!)).toBe("excluded: 2027-01-01");
    expect(describeExclusion(nationalDay!)).toBe("excluded by calendar vn-public-holidays (2027-09-02)");
    expect(findExclusionAt(at("2027-09-03T02:00:00Z"), zone, matchers)).toBeNull();
  });

  it("excludes nothing when the schedule has no dates and names no calendar that exists", () => {
    expect(compileExclusions([], ["gone"], [])).toEqual([]);
    expect(isExcludedAt(at("2027-01-01T00:00:00Z"), "UTC", [])).toBe(false);
  });
});
