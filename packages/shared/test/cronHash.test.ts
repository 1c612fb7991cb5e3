import { describe, expect, it } from "vitest";
import { parseCron } from "../src/schedules/cron.js";
import { hashCronSeed } from "../src/schedules/cronHash.js";
import { computeNextFireTimes } from "../src/schedules/fireTimes.js";

describe("H: values hashed from the schedule's name", () => {
  it("keeps the hash function frozen, so no H schedule ever moves", () => {
    expect(hashCronSeed("nightly-report\u0000minute")).toBe(2640847099);
  });

  it("gives H 3 * * * the same minute for the same name, every time", () => {
    const minutes = parseCron("H 3 * * *", "nightly-report").minutes;
    expect(minutes).toEqual(parseCron("H 3 * * *", "nightly-report").minutes);
    expect(minutes).toEqual([19]);
    const fires = computeNextFireTimes(
      {
        name: "nightly-report",
        cron: "H 3 * * *",
        timezone: "UTC",
        intervalSeconds: null,
        runAt: null,
        startAt: null,
        endAt: null,
        intervalAnchorAt: null,
      },
      new Date("2026-12-01T00:00:00Z"),
      2,
    ).map((at) => at.toISOString());
    expect(fires).toEqual(["2026-12-01T03:19:00.000Z", "2026-12-02T03:19:00.000Z"]);
  });

  it("spreads H 3 * * * for 1000 names over the whole hour", () => {
    const counts = new Array<number>(60).fill(0);
    for (let index = 0; index < 1000; index++) {
      const [minute] = parseCron("H 3 * * *", `report-${index}`).minutes;
      counts[minute!]! += 1;
    }
    // 1000 names over 60 minutes average 16.7 each; a uniform hash stays well inside 4..32.
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...counts)).toBeLessThanOrEqual(32);
  });

  it("hashes each field on its own, so H H * * * is not the same number twice for most names", () => {
    let same = 0;
    for (let index = 0; index < 100; index++) {
      const cron = parseCron("H H * * *", `job-${index}`);
      if (cron.minutes[0] === cron.hours[0]) same += 1;
    }
    expect(same).toBeLessThan(15);
  });

  it("reads H(0-29)/15 as two minutes 15 apart, starting below 15", () => {
    const minutes = parseCron("H(0-29)/15 * * * *", "sync-ledger").minutes;
    expect(minutes).toHaveLength(2);
    expect(minutes[0]!).toBeLessThan(15);
    expect(minutes[1]! - minutes[0]!).toBe(15);
    expect(minutes).toEqual([9, 24]);
  });

  it("reads H/15 as four minutes 15 apart, and H(0-29) as one minute in the range", () => {
    const stepped = parseCron("H/15 * * * *", "sync-ledger").minutes;
    expect(stepped.map((minute) => minute - stepped[0]!)).toEqual([0, 15, 30, 45]);
    const [minute] = parseCron("H(0-29) 3 * * *", "sync-ledger").minutes;
    expect(minute!).toBeLessThanOrEqual(29);
  });

  it("keeps H in day-of-month within 1-28, a day every month has", () => {
    for (let index = 0; index < 200; index++) {
      const [day] = parseCron("0 0 H * *", `monthly-${index}`).daysOfMonth;
      expect(day!).toBeGreaterThanOrEqual(1);
      expect(day!).toBeLessThanOrEqual(28);
    }
  });
});
