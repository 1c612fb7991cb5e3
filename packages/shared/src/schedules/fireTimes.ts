import type { ScheduleTiming } from "./model.js";
import { generateCronFires } from "./cronFires.js";
import { findFirstCronFireAfter } from "./firstCronFire.js";
import { readTiming } from "./readTiming.js";
import { getZoneTimeline } from "./zoneTimeline.js";

// Everything here is pure: "now" always arrives as an argument so every rule can be tested with
// literal instants.

const SECOND_MS = 1000;

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
  const parsed = readTiming(timing);
  if (parsed.kind !== "cron") return computeNextFireTimes(timing, from, 1)[0] ?? null;
  // A scheduler places every schedule it loads this way: the shared answers make that cheap.
  const lowerMs = Math.max(from.getTime(), (timing.startAt?.getTime() ?? Number.NEGATIVE_INFINITY) - 1);
  const fireMs = findFirstCronFireAfter(parsed.cron, timing.timezone, lowerMs, timing.name);
  const endMs = timing.endAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return fireMs === null || fireMs > endMs ? null : new Date(fireMs);
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
