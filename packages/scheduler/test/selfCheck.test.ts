import { describe, expect, it } from "vitest";
import type { Schedule } from "@hotbeat/shared";
import { HeldSchedules } from "../src/timeline/heldSchedules.js";
import { checkTimeline } from "../src/timeline/checkTimeline.js";
import { testLogger } from "../../../test/helpers.js";

const changedAt = new Date("2030-01-01T00:00:00Z");
const row = (name: string): Schedule => ({
  name,
  task: "log",
  description: "",
  cron: "0 * * * *",
  intervalSeconds: null,
  runAt: null,
  timezone: "UTC",
  payload: {},
  enabled: true,
  startAt: null,
  endAt: null,
  misfirePolicy: "run_once",
  misfireGraceSeconds: 300,
  overlapPolicy: "allow",
  jitterSeconds: 0,
  labels: {},
  exclude: [],
  calendars: [],
  calendarRevision: 0,
  pausedUntil: null,
  pauseMode: "skip",
  alert: null,
  version: 1,
  intervalAnchorAt: null,
  createdAt: changedAt,
  updatedAt: changedAt,
  updatedBy: "test",
});

describe("the self-check", () => {
  it("re-places a schedule missing from the timeline and one stuck there past its grace", () => {
    const held = new HeldSchedules(testLogger());
    for (const name of ["lost", "stuck", "fine"]) held.apply(name, row(name), 1);
    held.timeline.remove("lost");
    held.timeline.upsert("stuck", Date.parse("2029-12-01T00:00:00Z"), held.get("stuck")!);
    const nowMs = Date.parse("2029-12-31T23:59:00Z");

    expect(checkTimeline(held, nowMs, testLogger())).toBe(2);
    expect(held.timeline.get("lost")?.dueAtMs).toBe(Date.parse("2030-01-01T00:00:00Z"));
    expect(held.timeline.get("stuck")?.dueAtMs).toBe(Date.parse("2030-01-01T00:00:00Z"));
    expect(checkTimeline(held, nowMs, testLogger())).toBe(0);
  });
});
