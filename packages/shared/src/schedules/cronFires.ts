import { findNextCronWallTime, type ParsedCron } from "./cron.js";
import { PROBE_MS, type OffsetSegment, type ZoneTimeline } from "./zoneTimeline.js";

// Cron matching happens on wall times ("local time written as if it were UTC", in ms) and DST is
// handled by walking the zone's real timeline in segments of constant offset. Inside a segment a
// wall time maps to exactly one instant (wall - offset); the DST rules of the README's "Time"
// section only act at the seams.

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A cron with no match this far ahead never fires: 8 years spans the 2096 → 2104 leap-day gap. */
const SEARCH_LIMIT_MS = 8 * 366 * DAY_MS;
/**
 * Look-back around an instant, longer than any gap or overlap can be (offsets span -12 h..+14 h;
 * Samoa skipped a whole day in 2011), so a fire shifted by a recent transition is still seen.
 */
export const CONTEXT_MS = 27 * HOUR_MS;
/** Real time the cron iterator resolves per step; short, because most next fires are near. */
const WINDOW_MS = PROBE_MS;

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
export function* generateCronFires(
  cron: ParsedCron,
  timeline: ZoneTimeline,
  afterMs: number,
): Generator<number> {
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
