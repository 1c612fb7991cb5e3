import { DateTime } from "luxon";
import { InvalidSchedule } from "../errors.js";
import { findNextCronWallTime, parseCron, type ParsedCron } from "./cron.js";
import type { ScheduleTiming } from "./model.js";
import { checkTimingValues } from "./timingHealth.js";
import { PROBE_MS, getZoneTimeline, type OffsetSegment, type ZoneTimeline } from "./zoneTimeline.js";

// Everything here is pure: "now" always arrives as an argument so every rule can be tested with literal instants.
//
// Cron matching happens on wall times ("local time written as if it were UTC", in ms) and DST is
// handled by walking the zone's real timeline in segments of constant offset. Inside a segment a
// wall time maps to exactly one instant (wall - offset); the DST rules of the README's "Time" section only act at the seams.

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A cron with no match this far ahead never fires: 8 years spans the 2096 → 2104 leap-day gap. */
const SEARCH_LIMIT_MS = 8 * 366 * DAY_MS;
/**
 * Look-back around an instant, longer than any gap or overlap can be (offsets span -12 h..+14 h;
 * Samoa skipped a whole day in 2011), so a fire shifted by a recent transition is still seen.
 */
const CONTEXT_MS = 27 * HOUR_MS;
/** Real time the cron iterator resolves per step; short, because most next fires are near. */
const WINDOW_MS = PROBE_MS;
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function* generateWallTimes(cron: ParsedCron, fromWallMs: number, untilWallMs: number): Generator<number> {
  for (let wall = findNextCronWallTime(cron, fromWallMs, untilWallMs); wall !== null;) {
    yield wall;
    wall = findNextCronWallTime(cron, wall + SECOND_MS, untilWallMs);
  }
}

/**
 * Fires inside one segment with instants in [lowMs, highMs). A wildcard-hour cron fires at every
 * instant whose wall time matches, so both copies of a repeated hour fire and a skipped hour
 * fires nothing. A fixed-hour cron follows RFC 5545 (README, "Time"): wall times repeated from the
 * previous segment already fired there (first occurrence), and wall times the previous
 * transition skipped are read with the offset before the gap, landing at the start of this one.
 */
function* generateSegmentFires(
  cron: ParsedCron,
  segment: OffsetSegment,
  previous: OffsetSegment | undefined,
  lowMs: number,
  highMs: number,
): Generator<number> {
  const offsetMs = segment.offsetMs;
  let fromWallMs = lowMs + offsetMs;
  const shifted: number[] = [];
  if (!cron.isWildcardHour && previous !== undefined) {
    const beforeMs = previous.offsetMs;
    if (beforeMs > offsetMs) fromWallMs = Math.max(fromWallMs, segment.startMs + beforeMs);
    if (beforeMs < offsetMs) {
      const gapFromWallMs = Math.max(segment.startMs, lowMs) + beforeMs;
      const gapUntilWallMs = Math.min(segment.startMs + offsetMs, highMs + beforeMs);
      for (const wall of generateWallTimes(cron, gapFromWallMs, gapUntilWallMs))
        shifted.push(wall - beforeMs);
    }
  }
  // Merge the two ascending streams; a shifted wall time landing on a real one fires once.
  let next = 0;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const wall of generateWallTimes(cron, fromWallMs, highMs + offsetMs)) {
    for (; next < shifted.length && shifted[next]! <= wall - offsetMs; next++) {
      if (shifted[next]! !== lastMs) yield (lastMs = shifted[next]!);
    }
    if (wall - offsetMs !== lastMs) yield (lastMs = wall - offsetMs);
  }
  for (; next < shifted.length; next++) if (shifted[next]! !== lastMs) yield (lastMs = shifted[next]!);
}

/** Cron fires with afterMs < t <= untilMs, ascending. */
function* generateWindowFires(
  cron: ParsedCron,
  timeline: ZoneTimeline,
  afterMs: number,
  untilMs: number,
): Generator<number> {
  // Segments start well before afterMs so a transition just before it is seen as "previous".
  const segments = timeline.segments(afterMs - CONTEXT_MS, untilMs + 1);
  for (const [index, segment] of segments.entries()) {
    const lowMs = Math.max(segment.startMs, afterMs + 1);
    if (lowMs >= segment.endMs) continue;
    yield* generateSegmentFires(cron, segment, segments[index - 1], lowMs, segment.endMs);
  }
}

/** Every cron fire strictly after afterMs, ascending; ends when none is left within SEARCH_LIMIT_MS. */
function* generateCronFires(cron: ParsedCron, timeline: ZoneTimeline, afterMs: number): Generator<number> {
  for (let cursorMs = afterMs; ;) {
    const untilMs = cursorMs + WINDOW_MS;
    let isEmpty = true;
    for (const fireMs of generateWindowFires(cron, timeline, cursorMs, untilMs)) {
      isEmpty = false;
      yield fireMs;
    }
    cursorMs = untilMs;
    if (isEmpty) {
      // Jump over empty stretches on the wall calendar instead of resolving them window by
      // window. The CONTEXT_MS margins cover any offset change in between; both offsets are grid
      // probes the window already made, so the jump costs no extra zone lookups.
      const gridMs = Math.floor(untilMs / PROBE_MS) * PROBE_MS;
      const offsetsMs = [timeline.offsetAt(gridMs), timeline.offsetAt(gridMs + PROBE_MS)];
      const fromWallMs = untilMs + Math.min(...offsetsMs) - CONTEXT_MS;
      const wall = findNextCronWallTime(cron, fromWallMs, fromWallMs + SEARCH_LIMIT_MS);
      if (wall === null) return;
      cursorMs = Math.max(untilMs, wall - Math.max(...offsetsMs) - CONTEXT_MS);
    }
  }
}

type Timing =
  { kind: "cron"; cron: ParsedCron } | { kind: "interval"; stepMs: number } | { kind: "once"; atMs: number };

function readTiming(timing: ScheduleTiming): Timing {
  const kinds = [timing.cron, timing.intervalSeconds, timing.runAt].filter((value) => value !== null);
  if (kinds.length !== 1) {
    throw new InvalidSchedule([
      { field: "cron", message: "exactly one of cron, intervalSeconds and runAt must be set" },
    ]);
  }
  // A raw SQL value (±infinity, an Invalid Date, an interval past 2^53 ms) must never turn into
  // a NaN fire instant: refuse it here, at the entry of every computation.
  const valuesReason = checkTimingValues(timing);
  if (valuesReason) {
    const [field = "timing", ...message] = valuesReason.split(": ");
    throw new InvalidSchedule([{ field, message: message.join(": ") }]);
  }
  if (timing.cron !== null) return { kind: "cron", cron: parseCron(timing.cron, timing.name) };
  if (timing.runAt !== null) return { kind: "once", atMs: timing.runAt.getTime() };
  const seconds = timing.intervalSeconds ?? 0;
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new InvalidSchedule([{ field: "intervalSeconds", message: "must be at least 1" }]);
  }
  return { kind: "interval", stepMs: Math.round(seconds * SECOND_MS) };
}

/** The interval's anchor: startAt, else the last change to the interval, else the caller's fallback. */
function readAnchorMs(timing: ScheduleTiming, fallbackMs: number): number {
  return (timing.startAt ?? timing.intervalAnchorAt)?.getTime() ?? fallbackMs;
}

/** The first k >= 0 with anchor + k × step > afterMs. Arithmetic, so a late `from` never drifts. */
function firstStepAfter(anchorMs: number, stepMs: number, afterMs: number): number {
  return afterMs < anchorMs ? 0 : Math.floor((afterMs - anchorMs) / stepMs) + 1;
}

/** All fires strictly after afterMs and inside [startAt, endAt], ascending (possibly endless). */
function* generateFires(
  timing: ScheduleTiming,
  afterMs: number,
  fallbackAnchorMs: number,
): Generator<number> {
  const parsed = readTiming(timing);
  const endMs = timing.endAt?.getTime() ?? Number.POSITIVE_INFINITY;
  // startAt is inclusive: a fire exactly at startAt is after startAt - 1 ms.
  const lowerMs = Math.max(afterMs, (timing.startAt?.getTime() ?? Number.NEGATIVE_INFINITY) - 1);
  let fires: Iterable<number>;
  if (parsed.kind === "once") {
    fires = parsed.atMs > lowerMs ? [parsed.atMs] : [];
  } else if (parsed.kind === "interval") {
    fires = generateIntervalFires(readAnchorMs(timing, fallbackAnchorMs), parsed.stepMs, lowerMs);
  } else {
    fires = generateCronFires(parsed.cron, getZoneTimeline(timing.timezone), lowerMs);
  }
  for (const fireMs of fires) {
    if (fireMs > endMs) return;
    yield fireMs;
  }
}

function* generateIntervalFires(anchorMs: number, stepMs: number, afterMs: number): Generator<number> {
  for (let k = firstStepAfter(anchorMs, stepMs, afterMs); ; k++) yield anchorMs + k * stepMs;
}

/**
 * The next `count` fire instants strictly after `from`, ascending, inside the startAt..endAt
 * window (both inclusive). Empty when the schedule never fires again; a cron is given up on when
 * it has no match within 8 years (`0 0 31 2 *`).
 *
 * An interval fires at anchor + k × intervalSeconds (k >= 0), anchor = startAt ?? intervalAnchorAt;
 * when both are null, `from` itself is the anchor, so the first fire is one interval after it.
 */
export function computeNextFireTimes(timing: ScheduleTiming, from: Date, count: number): Date[] {
  const result: Date[] = [];
  if (count <= 0) return result;
  for (const fireMs of generateFires(timing, from.getTime(), from.getTime())) {
    result.push(new Date(fireMs));
    if (result.length >= count) break;
  }
  return result;
}

/** The first fire strictly after `from`, or null when there is none. See {@link computeNextFireTimes}. */
export function computeNextFireTime(timing: ScheduleTiming, from: Date): Date | null {
  return computeNextFireTimes(timing, from, 1)[0] ?? null;
}

/**
 * The fire instants t with after < t <= until, ascending, at most `limit` of them. When more
 * exist it returns the LAST `limit` (the most recent): misfire run_all replays at most
 * RUN_ALL_CAP missed fires and those are the ones closest to now. An interval with neither
 * startAt nor intervalAnchorAt is anchored at `after`.
 */
export function computeFireTimesBetween(
  timing: ScheduleTiming,
  after: Date,
  until: Date,
  limit: number,
): Date[] {
  const afterMs = after.getTime();
  const untilMs = until.getTime();
  if (limit <= 0 || untilMs <= afterMs) return [];
  const parsed = readTiming(timing);
  if (parsed.kind === "interval") {
    // Straight arithmetic: a week of a 1-second interval must not be enumerated.
    const anchorMs = readAnchorMs(timing, afterMs);
    const lowerMs = Math.max(afterMs, (timing.startAt?.getTime() ?? Number.NEGATIVE_INFINITY) - 1);
    const upperMs = Math.min(untilMs, timing.endAt?.getTime() ?? Number.POSITIVE_INFINITY);
    if (upperMs < anchorMs) return [];
    const first = firstStepAfter(anchorMs, parsed.stepMs, lowerMs);
    const last = Math.floor((upperMs - anchorMs) / parsed.stepMs);
    const result: Date[] = [];
    for (let k = Math.max(first, last - limit + 1); k <= last; k++)
      result.push(new Date(anchorMs + k * parsed.stepMs));
    return result;
  }
  // Only the last `limit` matter, so resolve a growing tail of the range rather than all of it
  // (a per-second cron over a day-long outage would otherwise walk 86 400 fires).
  for (let spanMs = 60 * SECOND_MS; ; spanMs *= 8) {
    const fromMs = Math.max(afterMs, untilMs - spanMs);
    const tail: number[] = [];
    for (const fireMs of generateFires(timing, fromMs, fromMs)) {
      if (fireMs > untilMs) break;
      tail.push(fireMs);
      if (tail.length > 2 * limit) tail.splice(0, tail.length - limit);
    }
    if (tail.length >= limit || fromMs === afterMs) return tail.slice(-limit).map((ms) => new Date(ms));
  }
}

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
