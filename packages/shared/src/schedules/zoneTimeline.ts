import { IANAZone } from "luxon";
import { InvalidSchedule } from "../errors.js";
import { isValidTimeZone } from "./timeZones.js";

const SECOND_MS = 1000;
/** Offsets are sampled this far apart; no zone in tzdata changes its offset twice within it. */
export const PROBE_MS = 6 * 3_600_000;

/** A stretch of real time [startMs, endMs) during which a zone keeps one UTC offset. */
export interface OffsetSegment {
  startMs: number;
  endMs: number;
  offsetMs: number;
}

/** One change of a zone's UTC offset: a DST gap when the offset grows, an overlap when it shrinks. */
export interface OffsetTransition {
  at: Date;
  offsetBeforeMinutes: number;
  offsetAfterMinutes: number;
}

/** Probes one zone keeps before starting over: a bound for processes that run for years. */
const MAX_CACHED_OFFSETS = 100_000;

/** A zone's offsets, with every probe remembered: one Intl lookup costs around 10 µs. */
export class ZoneTimeline {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();

  constructor(timezone: string) {
    if (!isValidTimeZone(timezone)) {
      throw new InvalidSchedule([{ field: "timezone", message: `"${timezone}" is not an IANA time zone` }]);
    }
    this.zone = IANAZone.create(timezone);
  }

  offsetAt(ms: number): number {
    let offsetMs = this.offsets.get(ms);
    if (offsetMs === undefined) {
      offsetMs = Math.round(this.zone.offset(ms) * 60_000);
      if (this.offsets.size >= MAX_CACHED_OFFSETS) this.offsets.clear();
      this.offsets.set(ms, offsetMs);
    }
    return offsetMs;
  }

  /** The constant-offset segments covering [fromMs, untilMs), clipped to it, in order. */
  segments(fromMs: number, untilMs: number): OffsetSegment[] {
    // Probing only on a fixed grid lets consecutive windows reuse each other's probes.
    let lowMs = Math.floor(fromMs / PROBE_MS) * PROBE_MS;
    const result: OffsetSegment[] = [];
    let segment: OffsetSegment = { startMs: fromMs, endMs: untilMs, offsetMs: this.offsetAt(lowMs) };
    while (lowMs < untilMs) {
      const highMs = lowMs + PROBE_MS;
      const offsetMs = this.offsetAt(highMs);
      if (offsetMs !== segment.offsetMs) {
        const changeMs = this.findChange(lowMs, highMs, segment.offsetMs);
        if (changeMs >= untilMs) break;
        if (changeMs > fromMs) result.push({ ...segment, endMs: changeMs });
        segment = { startMs: Math.max(changeMs, fromMs), endMs: untilMs, offsetMs };
      }
      lowMs = highMs;
    }
    result.push(segment);
    return result;
  }

  /** The first whole second in (lowMs, highMs] whose offset is no longer `offsetMs`. */
  private findChange(lowMs: number, highMs: number, offsetMs: number): number {
    let low = Math.floor(lowMs / SECOND_MS);
    let high = Math.ceil(highMs / SECOND_MS);
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (this.offsetAt(mid * SECOND_MS) === offsetMs) low = mid;
      else high = mid;
    }
    return high * SECOND_MS;
  }
}

const timelines = new Map<string, ZoneTimeline>();

/**
 * The process-wide timeline of `timezone`, so its probes are shared by every computation. The
 * offsets come from the tzdata built into Node, which cannot change while the process runs; a
 * fresh timeline per call re-did about 7 Intl lookups for every next fire (~110 µs, so seconds
 * for a scheduler loading 100k schedules) and ~1,500 for a year's DST look-ahead (~9 ms a write).
 *
 * @throws InvalidSchedule on field "timezone" for an unknown zone (nothing is cached then).
 */
export function getZoneTimeline(timezone: string): ZoneTimeline {
  let timeline = timelines.get(timezone);
  if (timeline === undefined) {
    timeline = new ZoneTimeline(timezone);
    timelines.set(timezone, timeline);
  }
  return timeline;
}

/**
 * The offset changes of `timezone` with from < at <= until, in order. Used to warn about fixed
 * times that fall in a DST gap or overlap.
 *
 * @throws InvalidSchedule on field "timezone" for an unknown zone.
 */
export function findOffsetTransitions(timezone: string, from: Date, until: Date): OffsetTransition[] {
  const segments = getZoneTimeline(timezone).segments(from.getTime(), until.getTime() + 1);
  return segments.slice(1).map((segment, index) => ({
    at: new Date(segment.startMs),
    offsetBeforeMinutes: segments[index]!.offsetMs / 60_000,
    offsetAfterMinutes: segment.offsetMs / 60_000,
  }));
}
