import { DateTime } from "luxon";
import { findNextCronWallTime, type ParsedCron } from "./cron.js";
import { CONTEXT_MS } from "./cronFires.js";
import type { ScheduleTiming } from "./model.js";
import { readTiming } from "./readTiming.js";
import { getZoneTimeline, type ZoneTimeline } from "./zoneTimeline.js";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** How one fire relates to its zone's daylight-saving changes; see {@link describeFireTime}. */
export interface FireTimeDescription {
  /** The instant, UTC ISO 8601. */
  at: string;
  /** The same instant in the schedule's zone, ISO 8601 with its offset. */
  local: string;
  /** English weekday in the schedule's zone, "Monday". */
  weekday: string;
  /**
   * "gap": a fixed-hour cron's wall time did not exist and was moved forward onto this instant
   * (also when it merged with a fire already there). "overlap": this local wall time occurs twice
   * that day (a fixed-hour cron fires at the first; a wildcard-hour cron fires in both). Always
   * null for interval and runAt schedules, which live in real time.
   */
  dstShift: null | "gap" | "overlap";
}

/** Describes one fire instant of a schedule for previews: UTC, local, weekday and any DST shift. */
export function describeFireTime(timing: ScheduleTiming, at: Date): FireTimeDescription {
  const timeline = getZoneTimeline(timing.timezone);
  const local = DateTime.fromJSDate(at, { zone: timing.timezone });
  const parsed = readTiming(timing);
  return {
    at: at.toISOString(),
    local: local.toISO() ?? at.toISOString(),
    weekday: WEEKDAYS[local.weekday - 1] ?? "",
    dstShift: parsed.kind === "cron" ? findDstShift(parsed.cron, timeline, at.getTime()) : null,
  };
}

function findDstShift(
  cron: ParsedCron,
  timeline: ZoneTimeline,
  atMs: number,
): FireTimeDescription["dstShift"] {
  const segments = timeline.segments(atMs - CONTEXT_MS, atMs + CONTEXT_MS);
  const index = segments.findIndex((segment) => atMs >= segment.startMs && atMs < segment.endMs);
  const segment = segments[index];
  if (segment === undefined) return null;
  const previous = segments[index - 1];
  const next = segments[index + 1];
  if (!cron.isWildcardHour && previous !== undefined && previous.offsetMs < segment.offsetMs) {
    const gapWallMs = atMs + previous.offsetMs;
    const isShifted = atMs < segment.startMs + segment.offsetMs - previous.offsetMs;
    if (isShifted && findNextCronWallTime(cron, gapWallMs, gapWallMs + 1) === gapWallMs) return "gap";
  }
  const wallMs = atMs + segment.offsetMs;
  const repeatsLater =
    next !== undefined && next.offsetMs < segment.offsetMs && wallMs >= next.startMs + next.offsetMs;
  const repeatsEarlier =
    previous !== undefined &&
    previous.offsetMs > segment.offsetMs &&
    wallMs < segment.startMs + previous.offsetMs;
  return repeatsLater || repeatsEarlier ? "overlap" : null;
}
