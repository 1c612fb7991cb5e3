import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { describeFireTime } from "../src/schedules/describeFireTime.js";
import { computeNextFireTimes } from "../src/schedules/fireTimes.js";
import type { ScheduleTiming } from "../src/schedules/model.js";

function cronTiming(cron: string, timezone: string, name = "calendar-test"): ScheduleTiming {
  return {
    name,
    cron,
    timezone,
    intervalSeconds: null,
    runAt: null,
    startAt: null,
    endAt: null,
    intervalAnchorAt: null,
  };
}

/** The next fires as ISO strings: tests compare literal instants. */
function next(cron: string, timezone: string, fromIso: string, count: number): string[] {
  return computeNextFireTimes(cronTiming(cron, timezone), new Date(fromIso), count).map((at) =>
    at.toISOString(),
  );
}

describe("L: the last day of the month", () => {
  it("fires 0 18 L * * on the 31st, the 29th of leap February 2028, the 30th, in Berlin time", () => {
    expect(next("0 18 L * *", "Europe/Berlin", "2028-01-01T00:00:00Z", 6)).toEqual([
      "2028-01-31T17:00:00.000Z",
      "2028-02-29T17:00:00.000Z",
      "2028-03-31T16:00:00.000Z",
      "2028-04-30T16:00:00.000Z",
      "2028-05-31T16:00:00.000Z",
      "2028-06-30T16:00:00.000Z",
    ]);
  });

  it("fires on the 28th of February in a common year", () => {
    expect(next("0 18 L * *", "UTC", "2027-02-01T00:00:00Z", 2)).toEqual([
      "2027-02-28T18:00:00.000Z",
      "2027-03-31T18:00:00.000Z",
    ]);
  });

  it("fires L-2 two days before the last day", () => {
    expect(next("0 0 L-2 * *", "UTC", "2028-02-01T00:00:00Z", 3)).toEqual([
      "2028-02-27T00:00:00.000Z",
      "2028-03-29T00:00:00.000Z",
      "2028-04-28T00:00:00.000Z",
    ]);
  });

  it("fires 0 8 L * 1 on every Monday and on the last day (Vixie OR)", () => {
    expect(next("0 8 L * 1", "UTC", "2026-06-20T00:00:00Z", 4)).toEqual([
      "2026-06-22T08:00:00.000Z",
      "2026-06-29T08:00:00.000Z",
      "2026-06-30T08:00:00.000Z",
      "2026-07-06T08:00:00.000Z",
    ]);
  });
});

describe("nL and n#k: the last and the k-th weekday of the month", () => {
  it("fires 0 18 * * 5L on the last Friday, 18:00 in Berlin", () => {
    expect(next("0 18 * * 5L", "Europe/Berlin", "2026-12-01T00:00:00Z", 2)).toEqual([
      "2026-12-25T17:00:00.000Z",
      "2027-01-29T17:00:00.000Z",
    ]);
  });

  it("fires 0 9 * * 1#1 on the first Monday, 09:00 in Ho Chi Minh City", () => {
    expect(next("0 9 * * 1#1", "Asia/Ho_Chi_Minh", "2026-12-01T00:00:00Z", 4)).toEqual([
      "2026-12-07T02:00:00.000Z",
      "2027-01-04T02:00:00.000Z",
      "2027-02-01T02:00:00.000Z",
      "2027-03-01T02:00:00.000Z",
    ]);
  });

  it("skips the months without a fifth Friday for 5#5", () => {
    expect(next("0 0 * * 5#5", "UTC", "2026-01-01T00:00:00Z", 4)).toEqual([
      "2026-01-30T00:00:00.000Z",
      "2026-05-29T00:00:00.000Z",
      "2026-07-31T00:00:00.000Z",
      "2026-10-30T00:00:00.000Z",
    ]);
  });
});

describe("W and LW: the nearest weekday, never in another month", () => {
  it("fires 0 0 LW * * on the last weekday, before a weekend month end", () => {
    expect(next("0 0 LW * *", "UTC", "2026-01-01T00:00:00Z", 5)).toEqual([
      "2026-01-30T00:00:00.000Z",
      "2026-02-27T00:00:00.000Z",
      "2026-03-31T00:00:00.000Z",
      "2026-04-30T00:00:00.000Z",
      "2026-05-29T00:00:00.000Z",
    ]);
  });

  it("moves 15W off a Saturday to Friday and off a Sunday to Monday", () => {
    expect(next("0 0 15W * *", "UTC", "2026-08-01T00:00:00Z", 4)).toEqual([
      "2026-08-14T00:00:00.000Z",
      "2026-09-15T00:00:00.000Z",
      "2026-10-15T00:00:00.000Z",
      "2026-11-16T00:00:00.000Z",
    ]);
  });

  it("moves 1W on a month starting Saturday to Monday the 3rd, not to the month before", () => {
    expect(next("0 0 1W * *", "UTC", "2026-07-15T00:00:00Z", 2)).toEqual([
      "2026-08-03T00:00:00.000Z",
      "2026-09-01T00:00:00.000Z",
    ]);
  });

  it("moves 31W on a Sunday the 31st back to Friday, and skips months without a 31st", () => {
    expect(next("0 0 31W * *", "UTC", "2026-04-01T00:00:00Z", 2)).toEqual([
      "2026-05-29T00:00:00.000Z",
      "2026-07-31T00:00:00.000Z",
    ]);
  });
});

describe("? in a day field", () => {
  it("fires 0 12 ? * MON on Mondays only", () => {
    expect(next("0 12 ? * MON", "UTC", "2026-12-01T00:00:00Z", 2)).toEqual([
      "2026-12-07T12:00:00.000Z",
      "2026-12-14T12:00:00.000Z",
    ]);
  });
});

describe("the new syntax on a DST-transition day keeps the fixed-hour DST rule", () => {
  it("fires 0 2 * * 0L on Berlin's fall-back Sunday once, at the first 02:00", () => {
    expect(next("0 2 * * 0L", "Europe/Berlin", "2026-10-01T00:00:00Z", 2)).toEqual([
      "2026-10-25T00:00:00.000Z",
      "2026-11-29T01:00:00.000Z",
    ]);
  });

  it("shifts 30 2 * * 0L on Berlin's spring-forward Sunday 2027-03-28 to 03:30", () => {
    expect(next("30 2 * * 0L", "Europe/Berlin", "2027-03-01T00:00:00Z", 2)).toEqual([
      "2027-03-28T01:30:00.000Z",
      "2027-04-25T00:30:00.000Z",
    ]);
  });

  it("shifts 30 2 * 3 0#2 on New York's spring-forward Sunday 2027-03-14 to 03:30", () => {
    expect(next("30 2 * 3 0#2", "America/New_York", "2027-03-01T00:00:00Z", 1)).toEqual([
      "2027-03-14T07:30:00.000Z",
    ]);
  });
});

describe("the preview's DST flags on the new syntax", () => {
  it("flags 30 2 * * 0L's shifted fire on 2027-03-28 as a gap and 0 2 * * 0L's on 2026-10-25 as an overlap", () => {
    const gap = describeFireTime(
      cronTiming("30 2 * * 0L", "Europe/Berlin"),
      new Date("2027-03-28T01:30:00Z"),
    );
    expect([gap.local, gap.weekday, gap.dstShift]).toEqual([
      "2027-03-28T03:30:00.000+02:00",
      "Sunday",
      "gap",
    ]);
    const overlap = describeFireTime(
      cronTiming("0 2 * * 0L", "Europe/Berlin"),
      new Date("2026-10-25T00:00:00Z"),
    );
    expect([overlap.local, overlap.dstShift]).toEqual(["2026-10-25T02:00:00.000+02:00", "overlap"]);
  });
});

describe("agreement with cron-parser's own iteration where no DST is involved", () => {
  const expressions = [
    "0 18 L * *",
    "0 0 L,15 * *",
    "0 9 * * 1#1",
    "0 0 * * 5#5",
    "0 18 * * 5L",
    "0 0 * * 1,3L",
    "0 12 ? * MON",
    "0 8 L * 1",
    "*/20 9-10 1,15 * MON-FRI",
    // Plain days of the month with the weekday free: the next day named is jumped to.
    "15 10 5,20 * *",
    "0 12 29 * *",
    "0 0 31 * *",
    "59 23 1-3 */2 *",
    "0 9 * * *",
    "30 6 1 1,7 *",
  ];
  it.each(expressions)("computes the same 24 UTC fires as cron-parser for %s", (expression) => {
    const iterator = CronExpressionParser.parse(expression, {
      currentDate: "2026-01-01T00:00:00Z",
      tz: "UTC",
    });
    const theirs = iterator.take(24).map((date) => date.toISOString());
    expect(next(expression, "UTC", "2026-01-01T00:00:00Z", 24)).toEqual(theirs);
  });
});
