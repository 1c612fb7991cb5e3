import { describe, expect, it } from "vitest";
import { InvalidSchedule } from "../src/errors.js";
import {
  computeFireTimesBetween,
  computeNextFireTime,
  computeNextFireTimes,
} from "../src/schedules/fireTimes.js";
import { describeFireTime } from "../src/schedules/describeFireTime.js";
import type { ScheduleTiming } from "../src/schedules/model.js";
import { findOffsetTransitions } from "../src/schedules/zoneTimeline.js";

const NONE = {
  cron: null,
  intervalSeconds: null,
  runAt: null,
  startAt: null,
  endAt: null,
  intervalAnchorAt: null,
};

function cronTiming(cron: string, timezone: string, extra: Partial<ScheduleTiming> = {}): ScheduleTiming {
  return { ...NONE, cron, timezone, ...extra };
}

function intervalTiming(intervalSeconds: number, extra: Partial<ScheduleTiming> = {}): ScheduleTiming {
  return { ...NONE, intervalSeconds, timezone: "UTC", ...extra };
}

/** The next fires as ISO strings: tests compare literal instants. */
function next(timing: ScheduleTiming, fromIso: string, count: number): string[] {
  return computeNextFireTimes(timing, new Date(fromIso), count).map((at) => at.toISOString());
}

function between(timing: ScheduleTiming, afterIso: string, untilIso: string, limit: number): string[] {
  return computeFireTimesBetween(timing, new Date(afterIso), new Date(untilIso), limit).map((at) =>
    at.toISOString(),
  );
}

describe("cron in a zone without DST (Asia/Ho_Chi_Minh, +07:00)", () => {
  const zone = "Asia/Ho_Chi_Minh";

  it("fires the 09:15 report at 02:15Z every day", () => {
    expect(next(cronTiming("15 9 * * *", zone), "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-01T02:15:00.000Z",
      "2026-01-02T02:15:00.000Z",
      "2026-01-03T02:15:00.000Z",
    ]);
  });

  it("fires 0 8 * * 1 on Mondays at 01:00Z", () => {
    expect(next(cronTiming("0 8 * * 1", zone), "2026-01-01T00:00:00Z", 2)).toEqual([
      "2026-01-05T01:00:00.000Z",
      "2026-01-12T01:00:00.000Z",
    ]);
  });

  it("fires 0 8 * * 0 and 0 8 * * 7 on Sundays, not Mondays", () => {
    const sundays = ["2026-01-04T01:00:00.000Z", "2026-01-11T01:00:00.000Z"];
    expect(next(cronTiming("0 8 * * 0", zone), "2026-01-01T00:00:00Z", 2)).toEqual(sundays);
    expect(next(cronTiming("0 8 * * 7", zone), "2026-01-01T00:00:00Z", 2)).toEqual(sundays);
    expect(describeFireTime(cronTiming("0 8 * * 0", zone), new Date(sundays[0]!)).weekday).toBe("Sunday");
  });

  it("fires 0 */6 * * * at local 00, 06, 12 and 18", () => {
    expect(next(cronTiming("0 */6 * * *", zone), "2026-01-01T00:00:00Z", 4)).toEqual([
      "2026-01-01T05:00:00.000Z",
      "2026-01-01T11:00:00.000Z",
      "2026-01-01T17:00:00.000Z",
      "2026-01-01T23:00:00.000Z",
    ]);
  });

  it("fires strictly after a from that is exactly a fire instant", () => {
    expect(next(cronTiming("15 9 * * *", zone), "2026-01-01T02:15:00Z", 1)).toEqual([
      "2026-01-02T02:15:00.000Z",
    ]);
  });
});

describe("cron calendar rules (UTC)", () => {
  it("fires 0 0 29 2 * next on 2028-02-29, and across the skipped leap year 2100", () => {
    expect(next(cronTiming("0 0 29 2 *", "UTC"), "2026-01-01T00:00:00Z", 2)).toEqual([
      "2028-02-29T00:00:00.000Z",
      "2032-02-29T00:00:00.000Z",
    ]);
    expect(next(cronTiming("0 0 29 2 *", "UTC"), "2096-03-01T00:00:00Z", 1)).toEqual([
      "2104-02-29T00:00:00.000Z",
    ]);
  });

  it("gives up on 0 0 31 2 *, which never fires, after a bounded search", () => {
    const startedMs = performance.now();
    expect(
      computeNextFireTime(cronTiming("0 0 31 2 *", "America/New_York"), new Date("2026-01-01T00:00:00Z")),
    ).toBe(null);
    expect(
      computeNextFireTimes(cronTiming("0 0 31 2 *", "UTC"), new Date("2026-01-01T00:00:00Z"), 5),
    ).toEqual([]);
    expect(performance.now() - startedMs).toBeLessThan(1000);
  });

  it("fires 0 0 31 * * only in months that have a 31st", () => {
    expect(next(cronTiming("0 0 31 * *", "UTC"), "2026-01-01T00:00:00Z", 5)).toEqual([
      "2026-01-31T00:00:00.000Z",
      "2026-03-31T00:00:00.000Z",
      "2026-05-31T00:00:00.000Z",
      "2026-07-31T00:00:00.000Z",
      "2026-08-31T00:00:00.000Z",
    ]);
  });

  it("fires 0 8 1 * 1 on every Monday and on every 1st (cron OR), once when both match", () => {
    expect(next(cronTiming("0 8 1 * 1", "UTC"), "2026-05-20T00:00:00Z", 7)).toEqual([
      "2026-05-25T08:00:00.000Z",
      "2026-06-01T08:00:00.000Z",
      "2026-06-08T08:00:00.000Z",
      "2026-06-15T08:00:00.000Z",
      "2026-06-22T08:00:00.000Z",
      "2026-06-29T08:00:00.000Z",
      "2026-07-01T08:00:00.000Z",
    ]);
  });

  it("fires a seconds field every ten seconds", () => {
    expect(next(cronTiming("*/10 * * * * *", "UTC"), "2026-05-20T00:00:05Z", 3)).toEqual([
      "2026-05-20T00:00:10.000Z",
      "2026-05-20T00:00:20.000Z",
      "2026-05-20T00:00:30.000Z",
    ]);
  });

  it("keeps a cron inside its startAt..endAt window, both ends inclusive", () => {
    const timing = cronTiming("15 9 * * *", "Asia/Ho_Chi_Minh", {
      startAt: new Date("2026-01-03T02:15:00Z"),
      endAt: new Date("2026-01-05T02:15:00Z"),
    });
    expect(next(timing, "2026-01-01T00:00:00Z", 10)).toEqual([
      "2026-01-03T02:15:00.000Z",
      "2026-01-04T02:15:00.000Z",
      "2026-01-05T02:15:00.000Z",
    ]);
    expect(computeNextFireTime(timing, new Date("2026-01-05T02:15:00Z"))).toBe(null);
  });
});

describe("America/New_York across 2026-03-08 (02:00 EST → 03:00 EDT)", () => {
  const zone = "America/New_York";

  it("moves 30 2 * * *, which does not exist that night, to 03:30 EDT", () => {
    expect(next(cronTiming("30 2 * * *", zone), "2026-03-06T12:00:00Z", 3)).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-08T07:30:00.000Z",
      "2026-03-09T06:30:00.000Z",
    ]);
  });

  it("fires 30 1 * * * at 01:30 EST, which still exists", () => {
    expect(next(cronTiming("30 1 * * *", zone), "2026-03-06T12:00:00Z", 3)).toEqual([
      "2026-03-07T06:30:00.000Z",
      "2026-03-08T06:30:00.000Z",
      "2026-03-09T05:30:00.000Z",
    ]);
  });

  it("fires nothing for the skipped hour of an hourly job", () => {
    expect(next(cronTiming("0 * * * *", zone), "2026-03-08T04:30:00Z", 4)).toEqual([
      "2026-03-08T05:00:00.000Z",
      "2026-03-08T06:00:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T08:00:00.000Z",
    ]);
  });

  it("keeps a quarter-hourly job on real-time rhythm across the gap", () => {
    expect(next(cronTiming("*/15 * * * *", zone), "2026-03-08T06:30:00Z", 4)).toEqual([
      "2026-03-08T06:45:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T07:15:00.000Z",
      "2026-03-08T07:30:00.000Z",
    ]);
  });

  it("fires once when a shifted 02:30 lands on a real 03:30", () => {
    expect(next(cronTiming("30 2,3 * * *", zone), "2026-03-08T05:00:00Z", 3)).toEqual([
      "2026-03-08T07:30:00.000Z",
      "2026-03-09T06:30:00.000Z",
      "2026-03-09T07:30:00.000Z",
    ]);
  });
});

describe("America/New_York across 2026-11-01 (02:00 EDT → 01:00 EST)", () => {
  const zone = "America/New_York";

  it("fires 30 2 * * * once, at 02:30 EST, which occurs once", () => {
    expect(next(cronTiming("30 2 * * *", zone), "2026-10-30T12:00:00Z", 3)).toEqual([
      "2026-10-31T06:30:00.000Z",
      "2026-11-01T07:30:00.000Z",
      "2026-11-02T07:30:00.000Z",
    ]);
  });

  it("fires 30 1 * * * once, at the first 01:30 (EDT)", () => {
    expect(next(cronTiming("30 1 * * *", zone), "2026-10-30T12:00:00Z", 3)).toEqual([
      "2026-10-31T05:30:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("fires an hourly job in both copies of the repeated hour", () => {
    expect(next(cronTiming("0 * * * *", zone), "2026-11-01T03:30:00Z", 4)).toEqual([
      "2026-11-01T04:00:00.000Z",
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T07:00:00.000Z",
    ]);
  });

  it("fires a quarter-hourly job eight times in the repeated hour", () => {
    expect(next(cronTiming("*/15 * * * *", zone), "2026-11-01T04:45:00Z", 10)).toEqual([
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T05:15:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-11-01T05:45:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T06:15:00.000Z",
      "2026-11-01T06:30:00.000Z",
      "2026-11-01T06:45:00.000Z",
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T07:15:00.000Z",
    ]);
  });

  it("does not fire a fixed 01:30 again when from falls between the two copies", () => {
    expect(next(cronTiming("30 1 * * *", zone), "2026-11-01T06:15:00Z", 1)).toEqual([
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("fires the second copy of a wildcard-hour time when from falls between the copies", () => {
    expect(next(cronTiming("30 * * * *", zone), "2026-11-01T06:15:00Z", 2)).toEqual([
      "2026-11-01T06:30:00.000Z",
      "2026-11-01T07:30:00.000Z",
    ]);
    expect(next(cronTiming("0 * * * *", zone), "2026-11-01T05:30:00Z", 1)).toEqual([
      "2026-11-01T06:00:00.000Z",
    ]);
  });
});

describe("Australia/Lord_Howe, a 30-minute DST", () => {
  const zone = "Australia/Lord_Howe";

  it("moves 02:15 to 02:45 on 2026-10-04, when clocks jump from 02:00 to 02:30", () => {
    expect(next(cronTiming("15 2 * * *", zone), "2026-10-02T00:00:00Z", 3)).toEqual([
      "2026-10-02T15:45:00.000Z",
      "2026-10-03T15:45:00.000Z",
      "2026-10-04T15:15:00.000Z",
    ]);
  });

  it("orders a shifted 02:15 after a real 02:35 of the same night", () => {
    expect(next(cronTiming("15,35 2 * * *", zone), "2026-10-03T12:00:00Z", 2)).toEqual([
      "2026-10-03T15:35:00.000Z",
      "2026-10-03T15:45:00.000Z",
    ]);
  });

  it("fires nothing in the skipped half hour of a quarter-hourly job", () => {
    expect(next(cronTiming("*/15 * * * *", zone), "2026-10-03T14:30:00Z", 5)).toEqual([
      "2026-10-03T14:45:00.000Z",
      "2026-10-03T15:00:00.000Z",
      "2026-10-03T15:15:00.000Z",
      "2026-10-03T15:30:00.000Z",
      "2026-10-03T15:45:00.000Z",
    ]);
  });

  it("fires 45 1 * * * once, at the first 01:45, on 2026-04-05 when clocks go back from 02:00 to 01:30", () => {
    expect(next(cronTiming("45 1 * * *", zone), "2026-04-03T12:00:00Z", 3)).toEqual([
      "2026-04-03T14:45:00.000Z",
      "2026-04-04T14:45:00.000Z",
      "2026-04-05T15:15:00.000Z",
    ]);
  });

  it("fires a half-hourly job in both copies of the repeated half hour", () => {
    expect(next(cronTiming("0,30 * * * *", zone), "2026-04-04T14:00:00Z", 3)).toEqual([
      "2026-04-04T14:30:00.000Z",
      "2026-04-04T15:00:00.000Z",
      "2026-04-04T15:30:00.000Z",
    ]);
  });
});

describe("gaps of other lengths", () => {
  it("moves times in Antarctica/Troll's two-hour gap (2026-03-29, 01:00 → 03:00) by two hours", () => {
    expect(next(cronTiming("30 1 * * *", "Antarctica/Troll"), "2026-03-28T12:00:00Z", 2)).toEqual([
      "2026-03-29T01:30:00.000Z",
      "2026-03-29T23:30:00.000Z",
    ]);
    expect(next(cronTiming("30 2 * * *", "Antarctica/Troll"), "2026-03-28T12:00:00Z", 2)).toEqual([
      "2026-03-29T02:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  it("moves a run on the day Samoa skipped (2011-12-30) by a whole day", () => {
    const timing = cronTiming("0 12 30 12 *", "Pacific/Apia");
    expect(next(timing, "2011-12-28T00:00:00Z", 2)).toEqual([
      "2011-12-30T22:00:00.000Z",
      "2012-12-29T22:00:00.000Z",
    ]);
    expect(describeFireTime(timing, new Date("2011-12-30T22:00:00Z")).local).toBe(
      "2011-12-31T12:00:00.000+14:00",
    );
  });
});

describe("interval schedules", () => {
  const anchor = new Date("2026-01-01T00:00:00Z");

  it("fires every 21600 s from its anchor, and at the anchor itself", () => {
    expect(next(intervalTiming(21600, { intervalAnchorAt: anchor }), "2025-12-31T23:00:00Z", 3)).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T06:00:00.000Z",
      "2026-01-01T12:00:00.000Z",
    ]);
  });

  it("fires strictly after a from that is exactly the anchor", () => {
    expect(next(intervalTiming(21600, { intervalAnchorAt: anchor }), "2026-01-01T00:00:00Z", 1)).toEqual([
      "2026-01-01T06:00:00.000Z",
    ]);
  });

  it("lands on an exact multiple of the interval long after the anchor (no drift)", () => {
    const timing = intervalTiming(90061, { intervalAnchorAt: new Date("2020-01-01T00:00:00Z") });
    const fires = computeNextFireTimes(timing, new Date("2026-06-15T12:34:56.789Z"), 2);
    expect(fires.map((at) => at.toISOString())).toEqual([
      "2026-06-15T20:19:42.000Z",
      "2026-06-16T21:20:43.000Z",
    ]);
    expect((fires[0]!.getTime() - Date.parse("2020-01-01T00:00:00Z")) % 90061_000).toBe(0);
  });

  it("anchors at startAt over intervalAnchorAt and stops after endAt", () => {
    const timing = intervalTiming(3600, {
      startAt: new Date("2026-01-01T00:00:30Z"),
      endAt: new Date("2026-01-01T03:00:30Z"),
      intervalAnchorAt: new Date("2025-06-01T00:17:00Z"),
    });
    expect(next(timing, "2025-12-01T00:00:00Z", 10)).toEqual([
      "2026-01-01T00:00:30.000Z",
      "2026-01-01T01:00:30.000Z",
      "2026-01-01T02:00:30.000Z",
      "2026-01-01T03:00:30.000Z",
    ]);
  });

  it("anchors at from when neither startAt nor intervalAnchorAt is set", () => {
    expect(next(intervalTiming(60), "2026-01-01T00:00:00Z", 2)).toEqual([
      "2026-01-01T00:01:00.000Z",
      "2026-01-01T00:02:00.000Z",
    ]);
  });
});

describe("runAt schedules", () => {
  const runAt = new Date("2026-02-01T10:00:00Z");

  it("fires once at runAt when it is after from", () => {
    expect(next({ ...NONE, runAt, timezone: "UTC" }, "2026-01-01T00:00:00Z", 5)).toEqual([
      "2026-02-01T10:00:00.000Z",
    ]);
    expect(computeNextFireTime({ ...NONE, runAt, timezone: "UTC" }, runAt)).toBe(null);
  });

  it("does not fire outside the window", () => {
    const timing = { ...NONE, runAt, timezone: "UTC", endAt: new Date("2026-01-31T00:00:00Z") };
    expect(computeNextFireTime(timing, new Date("2026-01-01T00:00:00Z"))).toBe(null);
  });
});

describe("computeFireTimesBetween", () => {
  const daily = cronTiming("15 9 * * *", "Asia/Ho_Chi_Minh");

  it("returns the fires with after < t <= until", () => {
    expect(between(daily, "2026-01-01T02:15:00Z", "2026-01-03T02:15:00Z", 100)).toEqual([
      "2026-01-02T02:15:00.000Z",
      "2026-01-03T02:15:00.000Z",
    ]);
  });

  it("keeps the last limit fires when more exist", () => {
    expect(between(daily, "2026-01-01T00:00:00Z", "2026-01-10T02:15:00Z", 3)).toEqual([
      "2026-01-08T02:15:00.000Z",
      "2026-01-09T02:15:00.000Z",
      "2026-01-10T02:15:00.000Z",
    ]);
  });

  it("keeps the last limit fires of a per-second cron over a long outage", () => {
    expect(
      between(cronTiming("* * * * * *", "UTC"), "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z", 2),
    ).toEqual(["2026-01-07T23:59:59.000Z", "2026-01-08T00:00:00.000Z"]);
  });

  it("keeps the last limit fires of an interval", () => {
    const timing = intervalTiming(60, { intervalAnchorAt: new Date("2026-01-01T00:00:00Z") });
    expect(between(timing, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", 100)).toHaveLength(60);
    expect(between(timing, "2026-01-01T00:00:00Z", "2026-01-01T01:00:30Z", 2)).toEqual([
      "2026-01-01T00:59:00.000Z",
      "2026-01-01T01:00:00.000Z",
    ]);
  });

  it("returns nothing for a zero limit or an empty range", () => {
    expect(between(daily, "2026-01-01T00:00:00Z", "2026-01-10T00:00:00Z", 0)).toEqual([]);
    expect(between(daily, "2026-01-10T00:00:00Z", "2026-01-01T00:00:00Z", 5)).toEqual([]);
  });

  it("applies the window to the replayed fires", () => {
    const windowed = cronTiming("15 9 * * *", "Asia/Ho_Chi_Minh", {
      endAt: new Date("2026-01-03T02:15:00Z"),
    });
    expect(between(windowed, "2026-01-01T00:00:00Z", "2026-01-10T00:00:00Z", 100)).toEqual([
      "2026-01-01T02:15:00.000Z",
      "2026-01-02T02:15:00.000Z",
      "2026-01-03T02:15:00.000Z",
    ]);
  });
});

describe("describeFireTime", () => {
  it("describes an ordinary fire in the schedule's zone", () => {
    expect(
      describeFireTime(cronTiming("15 9 * * *", "Asia/Ho_Chi_Minh"), new Date("2026-01-05T02:15:00Z")),
    ).toEqual({
      at: "2026-01-05T02:15:00.000Z",
      local: "2026-01-05T09:15:00.000+07:00",
      weekday: "Monday",
      dstShift: null,
    });
  });

  it("marks a fixed time moved forward out of a gap", () => {
    expect(
      describeFireTime(cronTiming("30 2 * * *", "America/New_York"), new Date("2026-03-08T07:30:00Z")),
    ).toEqual({
      at: "2026-03-08T07:30:00.000Z",
      local: "2026-03-08T03:30:00.000-04:00",
      weekday: "Sunday",
      dstShift: "gap",
    });
  });

  it("marks a fixed time that occurs twice, fired at the first", () => {
    expect(
      describeFireTime(cronTiming("30 1 * * *", "America/New_York"), new Date("2026-11-01T05:30:00Z")),
    ).toEqual({
      at: "2026-11-01T05:30:00.000Z",
      local: "2026-11-01T01:30:00.000-04:00",
      weekday: "Sunday",
      dstShift: "overlap",
    });
  });

  it("marks both copies of a wildcard-hour fire in a repeated hour, and no gap for it", () => {
    const hourly = cronTiming("0 * * * *", "America/New_York");
    expect(describeFireTime(hourly, new Date("2026-11-01T05:00:00Z")).dstShift).toBe("overlap");
    expect(describeFireTime(hourly, new Date("2026-11-01T06:00:00Z")).dstShift).toBe("overlap");
    expect(describeFireTime(hourly, new Date("2026-11-01T07:00:00Z")).dstShift).toBe(null);
    expect(describeFireTime(hourly, new Date("2026-03-08T07:00:00Z")).dstShift).toBe(null);
  });

  it("marks the Lord Howe 02:15 moved to 02:45", () => {
    expect(
      describeFireTime(cronTiming("15 2 * * *", "Australia/Lord_Howe"), new Date("2026-10-03T15:45:00Z")),
    ).toEqual({
      at: "2026-10-03T15:45:00.000Z",
      local: "2026-10-04T02:45:00.000+11:00",
      weekday: "Sunday",
      dstShift: "gap",
    });
  });

  it("never marks interval fires", () => {
    const timing = { ...intervalTiming(3600), timezone: "America/New_York" };
    expect(describeFireTime(timing, new Date("2026-11-01T05:30:00Z")).dstShift).toBe(null);
  });
});

describe("findOffsetTransitions", () => {
  it("finds New York's two changes of 2026 to the second", () => {
    const transitions = findOffsetTransitions(
      "America/New_York",
      new Date("2026-01-01T00:00:00Z"),
      new Date("2027-01-01T00:00:00Z"),
    );
    expect(transitions.map((t) => [t.at.toISOString(), t.offsetBeforeMinutes, t.offsetAfterMinutes])).toEqual(
      [
        ["2026-03-08T07:00:00.000Z", -300, -240],
        ["2026-11-01T06:00:00.000Z", -240, -300],
      ],
    );
  });
});

describe("invalid timings", () => {
  it("refuses a timing with both cron and intervalSeconds", () => {
    expect(() =>
      computeNextFireTime({ ...cronTiming("* * * * *", "UTC"), intervalSeconds: 60 }, new Date()),
    ).toThrow(InvalidSchedule);
  });

  it("refuses an unknown time zone", () => {
    expect(() => computeNextFireTime(cronTiming("* * * * *", "Mars/Olympus"), new Date())).toThrow(
      'timezone: "Mars/Olympus" is not an IANA time zone',
    );
  });

  it("refuses an interval under one second", () => {
    expect(() => computeNextFireTime(intervalTiming(0), new Date())).toThrow(
      "intervalSeconds: must be at least 1",
    );
  });
});
