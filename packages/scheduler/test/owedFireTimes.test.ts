import { describe, expect, it } from "vitest";
import type { ScheduleTiming } from "@hotbeat/shared";
import { readEarlierTimings, type HistoryChange } from "../src/sync/earlierTimings.js";
import {
  carryOwedTimings,
  computeNextOwedFireTime,
  computeOwedFireTimesBetween,
  type EarlierTiming,
} from "../src/timeline/owedFireTimes.js";

const cron = (expression: string): ScheduleTiming => ({
  cron: expression,
  intervalSeconds: null,
  runAt: null,
  timezone: "UTC",
  startAt: null,
  endAt: null,
  intervalAnchorAt: null,
});
const at = (iso: string) => new Date(iso);
const iso = (dates: Array<Date | null>) => dates.map((d) => d?.toISOString() ?? null);

// Hourly at :00 until 10:29:59.999, paused until 11:14:59.999, then hourly at :30.
const earlier: EarlierTiming[] = [
  { timing: cron("0 * * * *"), untilAt: at("2030-01-01T10:29:59.999Z") },
  { timing: null, untilAt: at("2030-01-01T11:14:59.999Z") },
];
const current = cron("30 * * * *");

describe("the instants owed across an edit", () => {
  it("takes each instant from the timing in force at it, and none from a paused span", () => {
    const owed = computeOwedFireTimesBetween(
      current,
      earlier,
      at("2030-01-01T08:00:00Z"),
      at("2030-01-01T13:00:00Z"),
      100,
    );
    expect(iso(owed)).toEqual([
      "2030-01-01T09:00:00.000Z",
      "2030-01-01T10:00:00.000Z",
      "2030-01-01T11:30:00.000Z",
      "2030-01-01T12:30:00.000Z",
    ]);
    expect(
      iso(
        computeOwedFireTimesBetween(
          current,
          earlier,
          at("2030-01-01T08:00:00Z"),
          at("2030-01-01T13:00:00Z"),
          2,
        ),
      ),
    ).toEqual(["2030-01-01T11:30:00.000Z", "2030-01-01T12:30:00.000Z"]);
  });

  it("finds the next owed instant in the span that holds it", () => {
    const next = (after: string) => computeNextOwedFireTime(current, earlier, at(after))?.toISOString();
    expect(next("2030-01-01T09:00:00Z")).toBe("2030-01-01T10:00:00.000Z");
    // 10:30 would be the current timing's, but the old one was in force until 10:29:59.999.
    expect(next("2030-01-01T10:00:00Z")).toBe("2030-01-01T11:30:00.000Z");
    expect(next("2030-01-01T11:30:00Z")).toBe("2030-01-01T12:30:00.000Z");
  });

  it("carries the old timing over an edit only when one of its instants was due and not dealt with", () => {
    const previous = {
      timing: cron("0 0 * * *"),
      cursorAt: at("2029-12-31T00:00:00Z"),
      nextAt: at("2030-01-01T00:00:00Z"),
    };
    const changeAtMs = Date.parse("2030-01-01T00:10:00Z");
    expect(carryOwedTimings(previous, changeAtMs, Date.parse("2030-01-01T00:10:00.050Z"))).toEqual([
      { timing: previous.timing, untilAt: at("2030-01-01T00:10:00Z") },
    ]);
    // The database's clock ahead of ours: what was not due here yet is owed by no one.
    expect(carryOwedTimings(previous, changeAtMs, Date.parse("2030-01-01T00:05:00Z"))).toEqual([
      { timing: previous.timing, untilAt: at("2030-01-01T00:05:00Z") },
      { timing: null, untilAt: at("2030-01-01T00:10:00Z") },
    ]);
    expect(
      carryOwedTimings({ ...previous, nextAt: at("2030-01-02T00:00:00Z") }, changeAtMs, changeAtMs),
    ).toBeUndefined();
  });
});

describe("the timings read back from history", () => {
  const snapshot = (cronExpression: string, enabled = true) => ({
    name: "report",
    cron: cronExpression,
    interval_seconds: null,
    run_at: null,
    timezone: "UTC",
    enabled,
    start_at: null,
    end_at: null,
    interval_anchor_at: null,
  });
  const changes: HistoryChange[] = [
    {
      version: 2,
      changedAt: at("2030-01-01T10:30:00Z"),
      oldValue: snapshot("0 * * * *"),
      newValue: snapshot("0 * * * *", false),
    },
    {
      version: 3,
      changedAt: at("2030-01-01T11:15:00.000Z"),
      oldValue: snapshot("0 * * * *", false),
      newValue: snapshot("30 * * * *"),
    },
    {
      version: 4,
      changedAt: at("2030-01-01T11:20:00.000Z"),
      oldValue: snapshot("30 * * * *"),
      newValue: { ...snapshot("30 * * * *"), description: "edited" },
    },
  ];

  it("gives each definition the instants from its change to just before the next", () => {
    expect(readEarlierTimings(changes, 4)).toEqual([
      { timing: { ...cron("0 * * * *"), name: "report" }, untilAt: at("2030-01-01T10:29:59.999Z") },
      { timing: null, untilAt: at("2030-01-01T11:14:59.999Z") },
      { timing: { ...cron("30 * * * *"), name: "report" }, untilAt: at("2030-01-01T11:19:59.999Z") },
    ]);
  });

  it("cannot tell when a version is missing, the last is not the one held, or a snapshot is not a row", () => {
    expect(readEarlierTimings([changes[0]!, changes[2]!], 4)).toBeUndefined();
    expect(readEarlierTimings(changes.slice(0, 2), 4)).toBeUndefined();
    expect(readEarlierTimings([{ ...changes[0]!, oldValue: "?" }, ...changes.slice(1)], 4)).toBeUndefined();
    expect(readEarlierTimings([], 4)).toBeUndefined();
  });
});
