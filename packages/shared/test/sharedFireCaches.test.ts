import { describe, expect, it } from "vitest";
import { parseCron } from "../src/schedules/cron.js";
import { computeNextFireTime, computeNextFireTimes } from "../src/schedules/fireTimes.js";
import { findFirstCronFireAfter } from "../src/schedules/firstCronFire.js";
import type { ScheduleTiming } from "../src/schedules/model.js";

const NONE = { intervalSeconds: null, runAt: null, startAt: null, endAt: null, intervalAnchorAt: null };

function cronTiming(cron: string, timezone: string, name?: string): ScheduleTiming {
  return { ...NONE, cron, timezone, ...(name !== undefined && { name }) };
}

/** The first fire through the fire generator, which never reads the shared answers. */
function firstFireUncached(timing: ScheduleTiming, fromIso: string): string | undefined {
  return computeNextFireTimes(timing, new Date(fromIso), 2)[0]?.toISOString();
}

function firstFire(timing: ScheduleTiming, fromIso: string): string | undefined {
  return computeNextFireTime(timing, new Date(fromIso))?.toISOString();
}

describe("fire-time answers shared between schedules", () => {
  it("gives every cursor of a shared expression the fire a fresh computation gives", () => {
    const timing = cronTiming("15 9 1 * *", "UTC");
    for (const fromIso of [
      "2030-01-01T00:00:00.000Z",
      "2030-01-01T09:14:59.999Z",
      "2030-01-01T09:15:00.000Z",
      "2030-01-20T00:00:00.000Z",
      "2029-12-31T00:00:00.000Z",
      "2030-02-01T09:15:00.000Z",
    ])
      expect(firstFire(timing, fromIso)).toBe(firstFireUncached(timing, fromIso));
    expect(firstFire(timing, "2030-01-01T09:15:00.000Z")).toBe("2030-02-01T09:15:00.000Z");
  });

  it("keeps the answers of one expression apart in two zones", () => {
    const utc = cronTiming("30 7 * * *", "UTC");
    const saigon = cronTiming("30 7 * * *", "Asia/Ho_Chi_Minh");
    const newYork = cronTiming("30 7 * * *", "America/New_York");
    const fromIso = "2030-03-10T00:00:00.000Z";
    expect(firstFire(utc, fromIso)).toBe("2030-03-10T07:30:00.000Z");
    expect(firstFire(saigon, fromIso)).toBe("2030-03-10T00:30:00.000Z");
    expect(firstFire(utc, "2030-03-10T01:00:00.000Z")).toBe("2030-03-10T07:30:00.000Z");
    // The day New York moves to daylight time: 07:30 EDT.
    expect(firstFire(newYork, fromIso)).toBe("2030-03-10T11:30:00.000Z");
    expect(firstFire(saigon, "2030-03-10T00:29:59.999Z")).toBe("2030-03-10T00:30:00.000Z");
  });

  it("never gives a schedule the H values hashed from another schedule's name", () => {
    const alpha = cronTiming("H H * * *", "UTC", "alpha-report");
    const beta = cronTiming("H H * * *", "UTC", "beta-report");
    expect(parseCron("H H * * *", "alpha-report")).not.toBe(parseCron("H H * * *", "beta-report"));
    const fromIso = "2030-01-01T00:00:00.000Z";
    const alphaFire = firstFire(alpha, fromIso);
    const betaFire = firstFire(beta, fromIso);
    expect(alphaFire).toBe(firstFireUncached(alpha, fromIso));
    expect(betaFire).toBe(firstFireUncached(beta, fromIso));
    expect(alphaFire).not.toBe(betaFire);
    expect(firstFire(alpha, fromIso)).toBe(alphaFire);
  });

  it("answers null for a cron that never fires, and keeps answering it", () => {
    const cron = parseCron("0 0 31 2 *");
    expect(findFirstCronFireAfter(cron, "UTC", Date.parse("2030-01-01T00:00:00.000Z"))).toBeNull();
    expect(findFirstCronFireAfter(cron, "UTC", Date.parse("2030-01-02T00:00:00.000Z"))).toBeNull();
  });

  it("shares one expansion of a field text between expressions without mixing their values", () => {
    const hourly = parseCron("5 * * * *");
    const daily = parseCron("5 4 * * 1-5");
    expect(hourly.minutes).toEqual([5]);
    expect(daily.minutes).toEqual([5]);
    expect(hourly.hours).toHaveLength(24);
    expect(daily.hours).toEqual([4]);
    expect(daily.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(hourly.daysOfWeek).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
