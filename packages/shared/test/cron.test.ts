import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { InvalidSchedule } from "../src/errors.js";
import { findNextCronWallTime, isCronDay, parseCron } from "../src/schedules/cron.js";

/** The message parseCron throws for an expression, or null when it parses. */
function rejectionOf(expression: string): string | null {
  try {
    parseCron(expression);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSchedule);
    return (error as InvalidSchedule).message;
  }
}

describe("parseCron", () => {
  it("expands a five-field expression with seconds fixed at zero", () => {
    const cron = parseCron("15 9 * * *");
    expect(cron.seconds).toEqual([0]);
    expect(cron.minutes).toEqual([15]);
    expect(cron.hours).toEqual([9]);
    expect(cron.daysOfMonth).toHaveLength(31);
    expect(cron.months).toHaveLength(12);
    expect(cron.daysOfWeek).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(cron.isDayOfMonthRestricted).toBe(false);
    expect(cron.isDayOfWeekRestricted).toBe(false);
    expect(cron.isWildcardHour).toBe(false);
  });

  it("reads a sixth field as seconds, first", () => {
    const cron = parseCron("*/10 * * * * *");
    expect(cron.seconds).toEqual([0, 10, 20, 30, 40, 50]);
    expect(cron.minutes).toHaveLength(60);
    expect(cron.fields.second).toBe("*/10");
  });

  it("accepts month and weekday names in any case", () => {
    const cron = parseCron("0 8 * jan,Mar MON-fri");
    expect(cron.months).toEqual([1, 3]);
    expect(cron.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
  });

  it("treats day-of-week 0 and 7 as Sunday and 1 as Monday", () => {
    expect(parseCron("0 8 * * 0").daysOfWeek).toEqual([0]);
    expect(parseCron("0 8 * * 7").daysOfWeek).toEqual([0]);
    expect(parseCron("0 8 * * SUN").daysOfWeek).toEqual([0]);
    expect(parseCron("0 8 * * 1").daysOfWeek).toEqual([1]);
    expect(parseCron("0 8 * * 5-7").daysOfWeek).toEqual([0, 5, 6]);
  });

  it("expands ranges, lists and steps", () => {
    expect(parseCron("*/15 * * * *").minutes).toEqual([0, 15, 30, 45]);
    expect(parseCron("1-10/2 * * * *").minutes).toEqual([1, 3, 5, 7, 9]);
    expect(parseCron("5/20 * * * *").minutes).toEqual([5, 25, 45]);
    expect(parseCron("0 1,5,3,5 * * *").hours).toEqual([1, 3, 5]);
    expect(parseCron("0 0 */10 * *").daysOfMonth).toEqual([1, 11, 21, 31]);
    expect(parseCron("0 0 * * */2").daysOfWeek).toEqual([0, 2, 4, 6]);
  });

  it("expands the macros, case-insensitively", () => {
    const hourly = parseCron("@hourly");
    expect([hourly.minutes, hourly.hours.length, hourly.isWildcardHour]).toEqual([[0], 24, true]);
    expect(parseCron("@daily").fields).toEqual(parseCron("@midnight").fields);
    expect(parseCron("@DAILY").hours).toEqual([0]);
    expect(parseCron("@weekly").daysOfWeek).toEqual([0]);
    expect(parseCron("@monthly").daysOfMonth).toEqual([1]);
    expect(parseCron("@yearly").fields).toEqual(parseCron("@annually").fields);
    expect(parseCron("@yearly").months).toEqual([1]);
    expect(parseCron("@weekly").macro).toBe("@weekly");
  });

  it("calls a day field restricted whenever it is not a bare *", () => {
    const both = parseCron("0 8 1 * 1");
    expect([both.isDayOfMonthRestricted, both.isDayOfWeekRestricted]).toEqual([true, true]);
    const stepped = parseCron("0 8 */2 * *");
    expect([stepped.isDayOfMonthRestricted, stepped.isDayOfWeekRestricted]).toEqual([true, false]);
  });

  it("calls * and */n hours wildcard-hour and ranges, lists and single hours fixed-hour", () => {
    expect(parseCron("0 * * * *").isWildcardHour).toBe(true);
    expect(parseCron("0 */6 * * *").isWildcardHour).toBe(true);
    expect(parseCron("0 0-23 * * *").isWildcardHour).toBe(false);
    expect(parseCron("0 0-23/2 * * *").isWildcardHour).toBe(false);
    expect(parseCron("0 1,2 * * *").isWildcardHour).toBe(false);
    expect(parseCron("0 5 * * *").isWildcardHour).toBe(false);
  });

  it("reads L, L-n, nW and LW in day-of-month as day rules", () => {
    const last = parseCron("0 18 L * *");
    expect([last.isLastDayOfMonth, last.daysOfMonth, last.dayOfMonthRule]).toEqual([true, [], null]);
    expect(parseCron("0 0 L,15 * *").daysOfMonth).toEqual([15]);
    expect(parseCron("0 0 L-3 * *").dayOfMonthRule).toEqual({ kind: "beforeLast", days: 3 });
    const nearest = parseCron("0 0 15w * *");
    expect([nearest.dayOfMonthRule, nearest.daysOfMonth]).toEqual([{ kind: "nearestWeekday", day: 15 }, []]);
    const lastWeekday = parseCron("0 0 LW * *");
    expect([lastWeekday.dayOfMonthRule, lastWeekday.isLastDayOfMonth]).toEqual([
      { kind: "lastWeekday" },
      false,
    ]);
  });

  it("reads nL and n#k in day-of-week, names and 7 included", () => {
    const lastFriday = parseCron("0 18 * * 5L");
    expect([lastFriday.lastWeekdays, lastFriday.daysOfWeek]).toEqual([[5], []]);
    expect(parseCron("0 0 * * 1,7L").lastWeekdays).toEqual([0]);
    const firstMonday = parseCron("0 9 * * MON#1");
    expect([firstMonday.nthWeekday, firstMonday.daysOfWeek]).toEqual([{ weekday: 1, occurrence: 1 }, []]);
    expect(parseCron("0 0 * * 7#5").nthWeekday).toEqual({ weekday: 0, occurrence: 5 });
  });

  it("merges lists that repeat a value, as every cron does", () => {
    expect(parseCron("0 0 * * 0,7").daysOfWeek).toEqual([0]);
    expect(parseCron("0 1-5,3 * * *").hours).toEqual([1, 2, 3, 4, 5]);
  });

  it("accepts a day no named month has, which then never fires", () => {
    expect(parseCron("0 0 31 2 *").daysOfMonth).toEqual([31]);
  });

  it("rejects a wrong number of fields with the count", () => {
    expect(rejectionOf("* * * *")).toBe("cron: expected 5 or 6 fields, got 4");
    expect(rejectionOf("* * * * * * *")).toBe("cron: expected 5 or 6 fields, got 7");
    expect(rejectionOf("hello world")).toBe("cron: expected 5 or 6 fields, got 2");
  });

  it("rejects out-of-range values naming the field, the text and its range", () => {
    expect(rejectionOf("60 * * * *")).toBe("cron: minute `60`: 60 is out of range 0-59");
    expect(rejectionOf("* 24 * * *")).toBe("cron: hour `24`: 24 is out of range 0-23");
    expect(rejectionOf("* * 32 * *")).toBe("cron: day-of-month `32`: 32 is out of range 1-31");
    expect(rejectionOf("* * 0 * *")).toBe("cron: day-of-month `0`: 0 is out of range 1-31");
    expect(rejectionOf("* * * 13 *")).toBe("cron: month `13`: 13 is out of range 1-12");
    expect(rejectionOf("* * * * 8")).toBe("cron: day-of-week `8`: 8 is out of range 0-7");
    expect(rejectionOf("60 * * * * *")).toBe("cron: second `60`: 60 is out of range 0-59");
  });

  it("rejects an empty expression", () => {
    expect(rejectionOf("")).toBe("cron: expression is empty");
    expect(rejectionOf("   ")).toBe("cron: expression is empty");
  });

  it("rejects garbage inside a field, quoting it as written", () => {
    expect(rejectionOf("a b c d e")).toBe("cron: minute `a`: not a number");
    expect(rejectionOf("0 0 * * funday")).toBe('cron: day-of-week `funday`: "fun" is not a weekday name');
    expect(rejectionOf("0 0 * janx *")).toBe("cron: month `janx`: not a number or a name");
    expect(rejectionOf("0 0 * * 1,")).toBe("cron: day-of-week `1,`: an empty list item");
    expect(rejectionOf("0 0-5-9 * * *")).toBe("cron: hour `0-5-9`: not a range");
    expect(rejectionOf("0 0 1-5/2/3 * *")).toBe("cron: day-of-month `1-5/2/3`: more than one step");
    expect(rejectionOf("? * * * *")).toBe(
      "cron: minute `?`: ? is only for day-of-month and day-of-week; write *",
    );
    expect(rejectionOf("@reboot")).toBe(
      'cron: unknown macro "@reboot"; use one of @yearly @annually @monthly @weekly @daily @midnight @hourly',
    );
  });

  it("rejects bad steps and backward ranges", () => {
    expect(rejectionOf("*/0 * * * *")).toBe("cron: minute `*/0`: step 0 must be at least 1");
    expect(rejectionOf("*/90 * * * *")).toBe(
      "cron: minute `*/90`: step 90 is larger than the field's range 0-59",
    );
    expect(rejectionOf("*/x * * * *")).toBe('cron: minute `*/x`: step "x" is not a number');
    expect(rejectionOf("0 5-1 * * *")).toBe("cron: hour `5-1`: range 5-1 goes backwards");
  });

  it("rejects bad L, W and # with the field and what to write instead", () => {
    expect(rejectionOf("0 0 * * 8#2")).toBe("cron: day-of-week `8#2`: weekday must be 0-7");
    expect(rejectionOf("0 0 * * 1#6")).toBe("cron: day-of-week `1#6`: the occurrence after # must be 1-5");
    expect(rejectionOf("0 0 * * 1,2#2")).toBe(
      'cron: day-of-week `1,2#2`: # takes one weekday and one occurrence (5#2), not ","',
    );
    expect(rejectionOf("0 0 * * L")).toBe(
      "cron: day-of-week `L`: L alone is not a weekday: write 5L for the last Friday, or L in day-of-month",
    );
    expect(rejectionOf("0 0 * * 1-5L")).toBe(
      "cron: day-of-week `1-5L`: not a range of weekdays (5L takes one)",
    );
    expect(rejectionOf("0 0 5L * *")).toBe(
      "cron: day-of-month `5L`: 5L is not a day: use 1-31, L, L-n, nW or LW",
    );
    expect(rejectionOf("0 0 1W,15 * *")).toBe(
      "cron: day-of-month `1W,15`: W takes one day (15W) or L (LW), not a list, range or step",
    );
    expect(rejectionOf("0 0 32W * *")).toBe("cron: day-of-month `32W`: day must be 1-31");
    expect(rejectionOf("0 0 L-31 * *")).toBe("cron: day-of-month `L-31`: L-n takes n from 1 to 30");
    expect(rejectionOf("0 0 L-3,5 * *")).toBe("cron: day-of-month `L-3,5`: L-n stands alone, not in a list");
  });

  it("rejects an H that its field cannot hold", () => {
    expect(rejectionOf("H(0-70) * * * *")).toBe("cron: minute `H(0-70)`: the range must lie within 0-59");
    expect(rejectionOf("H(5-2) * * * *")).toBe("cron: minute `H(5-2)`: range 5-2 goes backwards");
    expect(rejectionOf("H/90 * * * *")).toBe("cron: minute `H/90`: step 90 must be 1-59 to fit 0-59");
    expect(rejectionOf("0 0 H(1-31) * *")).toBe(
      "cron: day-of-month `H(1-31)`: the range must lie within 1-28",
    );
    expect(rejectionOf("HH * * * *")).toBe("cron: minute `HH`: write H, H(0-29), H/15 or H(0-29)/15");
  });

  it("attaches the problem to the cron field", () => {
    try {
      parseCron("60 * * * *");
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidSchedule).details).toEqual([
        { field: "cron", message: "minute `60`: 60 is out of range 0-59" },
      ]);
      expect((error as InvalidSchedule).code).toBe("invalid");
    }
  });
});

describe("parseCron against cron-parser", () => {
  // The fire-time and calendar suites' expressions (those cron-parser reads: not W, L-n or H;
  // and with a day every named month has, since cron-parser refuses `31 2`).
  const expressions = [
    "* * * * * *",
    "* * * * *",
    "*/10 * * * * *",
    "*/15 * * * *",
    "0 * * * *",
    "0 */6 * * *",
    "0 0 29 2 *",
    "0 0 31 * *",
    "0 12 30 12 *",
    "0 8 * * 0",
    "0 8 * * 1",
    "0 8 * * 7",
    "0 8 1 * 1",
    "0,30 * * * *",
    "15 2 * * *",
    "15 9 * * *",
    "15,35 2 * * *",
    "30 2,3 * * *",
    "0 18 L * *",
    "0 0 L,15 * *",
    "0 9 * * 1#1",
    "0 0 * * 5#5",
    "0 18 * * 5L",
    "0 0 * * 1,3L",
    "0 12 ? * MON",
    "0 8 L * 1",
    "*/20 9-10 1,15 * MON-FRI",
    "0 9 * JAN,MAR-MAY *",
    "5/20 * * * *",
  ];
  const fold = (values: readonly (number | string)[], isWeekday = false) =>
    [...new Set(values.filter((v) => typeof v === "number").map((v) => (isWeekday ? v % 7 : v)))].sort(
      (a, b) => a - b,
    );

  it.each(expressions)("expands %s to the same fields as cron-parser does", (expression) => {
    const ours = parseCron(expression);
    const theirs = CronExpressionParser.parse(expression).fields;
    expect(ours.seconds).toEqual(fold(theirs.second.values));
    expect(ours.minutes).toEqual(fold(theirs.minute.values));
    expect(ours.hours).toEqual(fold(theirs.hour.values));
    expect(ours.months).toEqual(fold(theirs.month.values));
    expect(ours.isLastDayOfMonth).toBe(theirs.dayOfMonth.values.includes("L"));
    const weekdays = fold(theirs.dayOfWeek.values, true);
    if (theirs.dayOfWeek.nthDay > 0) {
      expect(ours.nthWeekday).toEqual({ weekday: weekdays[0], occurrence: theirs.dayOfWeek.nthDay });
    } else {
      expect(ours.daysOfWeek).toEqual(weekdays);
    }
    if (theirs.month.values.length !== 1) expect(ours.daysOfMonth).toEqual(fold(theirs.dayOfMonth.values));
  });
});

describe("isCronDay", () => {
  // June 2026 starts on a Monday: the 1st, 8th, 15th, 22nd and 29th are Mondays.
  it("fires on either day field when both are restricted (Vixie OR)", () => {
    const cron = parseCron("0 8 3 * 1");
    expect(isCronDay(cron, 2026, 6, 3)).toBe(true);
    expect(isCronDay(cron, 2026, 6, 8)).toBe(true);
    expect(isCronDay(cron, 2026, 6, 9)).toBe(false);
  });

  it("requires the restricted field alone when the other is *", () => {
    expect(isCronDay(parseCron("0 8 3 * *"), 2026, 6, 3)).toBe(true);
    expect(isCronDay(parseCron("0 8 3 * *"), 2026, 6, 8)).toBe(false);
    expect(isCronDay(parseCron("0 8 * * 1"), 2026, 6, 8)).toBe(true);
  });

  it("reads ? as * in either day field, so the other alone decides", () => {
    const cron = parseCron("0 12 ? * MON");
    expect([cron.isDayOfMonthRestricted, cron.isDayOfWeekRestricted]).toEqual([false, true]);
    expect(isCronDay(cron, 2026, 6, 8)).toBe(true);
    expect(isCronDay(cron, 2026, 6, 9)).toBe(false);
    expect(isCronDay(parseCron("0 0 15 * ?"), 2026, 6, 15)).toBe(true);
  });

  it("ORs an L day-of-month with a restricted weekday", () => {
    const cron = parseCron("0 8 L * 1");
    expect(isCronDay(cron, 2026, 6, 30)).toBe(true);
    expect(isCronDay(cron, 2026, 6, 22)).toBe(true);
    expect(isCronDay(cron, 2026, 6, 23)).toBe(false);
  });
});

describe("findNextCronWallTime", () => {
  const wall = (iso: string) => Date.parse(`${iso}Z`);

  it("finds the next matching wall time at or after the start", () => {
    const cron = parseCron("30 2 * * *");
    expect(findNextCronWallTime(cron, wall("2026-03-08T02:30:00"), wall("2027-01-01T00:00:00"))).toBe(
      wall("2026-03-08T02:30:00"),
    );
    expect(findNextCronWallTime(cron, wall("2026-03-08T02:30:00.001"), wall("2027-01-01T00:00:00"))).toBe(
      wall("2026-03-09T02:30:00"),
    );
  });

  it("returns null when nothing matches before the limit", () => {
    expect(
      findNextCronWallTime(parseCron("0 0 31 2 *"), wall("2026-01-01T00:00:00"), wall("2034-01-01T00:00:00")),
    ).toBe(null);
  });
});
