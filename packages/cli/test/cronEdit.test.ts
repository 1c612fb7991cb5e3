import { describe, expect, it } from "vitest";
import { applyCronEdit, parseBoundedInt, parseDays } from "../src/cronEdit.js";
import { parseDuration } from "../src/duration.js";
import { UsageError } from "../src/errors.js";

describe("applyCronEdit", () => {
  it("changes the hour and keeps the minute and the days: --hour 9 on 15 7 * * 1 gives 15 9 * * 1", () => {
    expect(applyCronEdit("15 7 * * 1", { hour: 9 })).toBe("15 9 * * 1");
  });
  it("moves the morning report to 07:30", () => {
    expect(applyCronEdit("15 9 * * *", { hour: 7, minute: 30 })).toBe("30 7 * * *");
  });
  it("changes the days and keeps the time", () => {
    expect(applyCronEdit("0 8 * * 1", { days: "1,5" })).toBe("0 8 * * 1,5");
  });
  it("keeps the seconds of a six-field cron and the month and day-of-month fields", () => {
    expect(applyCronEdit("30 0 12 1 1-6 *", { minute: 5 })).toBe("30 5 12 1 1-6 *");
  });
  it("expands a macro before editing it", () => {
    expect(applyCronEdit("@weekly", { hour: 6 })).toBe("0 6 * * 0");
    expect(applyCronEdit("@daily", { minute: 45 })).toBe("45 0 * * *");
  });
  it("makes a daily cron when there is none to edit", () => {
    expect(applyCronEdit(null, { hour: 9 })).toBe("0 9 * * *");
    expect(applyCronEdit(null, { minute: 5, days: "1-5" })).toBe("5 0 * * 1-5");
  });
  it("refuses to edit a cron of the wrong shape", () => {
    expect(() => applyCronEdit("* * *", { hour: 1 })).toThrow(UsageError);
  });
});

describe("parseDays", () => {
  it("reads names, full names and ranges as cron day numbers, Sunday 0 and Monday 1", () => {
    expect(parseDays("mon,fri")).toBe("1,5");
    expect(parseDays("Monday, Sunday")).toBe("1,0");
    expect(parseDays("mon-fri")).toBe("1-5");
    expect(parseDays("sat-sun")).toBe("6-0");
  });
  it("reads weekdays, weekends and daily", () => {
    expect(parseDays("weekdays")).toBe("1-5");
    expect(parseDays("weekends")).toBe("0,6");
    expect(parseDays("daily")).toBe("*");
  });
  it("refuses numbers, whose meaning differs between cron and the older API", () => {
    expect(() => parseDays("0")).toThrow(/not a day name/);
    expect(() => parseDays("funday")).toThrow(UsageError);
    expect(() => parseDays("")).toThrow(UsageError);
    expect(() => parseDays("mon-tue-wed")).toThrow(UsageError);
  });
});

describe("parseBoundedInt", () => {
  it("accepts whole numbers within bounds and names the option otherwise", () => {
    expect(parseBoundedInt("23", "--hour", 0, 23)).toBe(23);
    expect(() => parseBoundedInt("24", "--hour", 0, 23)).toThrow(/--hour: 24 is outside 0–23/);
    expect(() => parseBoundedInt("7.5", "--minute", 0, 59)).toThrow(/--minute/);
    expect(() => parseBoundedInt("-1", "--minute", 0, 59)).toThrow(UsageError);
  });
});

describe("parseDuration", () => {
  it("reads 6h, 90m, 1d, 45s, 1w and 1h30m as seconds", () => {
    expect(parseDuration("6h")).toBe(21_600);
    expect(parseDuration("90m")).toBe(5400);
    expect(parseDuration("1d")).toBe(86_400);
    expect(parseDuration("45s")).toBe(45);
    expect(parseDuration("1w")).toBe(604_800);
    expect(parseDuration("1h30m")).toBe(5400);
  });
  it("reads a bare number as seconds: --interval 14400 is four hours", () => {
    expect(parseDuration("14400", "--interval")).toBe(14_400);
  });
  it("refuses zero, negatives, fractions and unknown units, naming the option", () => {
    for (const bad of ["0", "0m", "-5m", "1.5h", "6x", "h", "", "6h later"]) {
      expect(() => parseDuration(bad, "--every"), bad).toThrow(/--every/);
    }
  });
});
