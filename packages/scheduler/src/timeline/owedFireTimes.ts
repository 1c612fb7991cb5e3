import { computeFireTimesBetween, computeNextFireTime, type ScheduleTiming } from "@hotbeat/shared";

/**
 * A timing that was in force before a schedule's current one, up to and including `untilAt`.
 * Instants that came due under it and were not dealt with yet still belong to it: an edit moves
 * what is to come, never what was already owed (README, "Guarantees"). `timing: null` is a span
 * that owed nothing (the schedule was paused, deleted, or not yet created).
 */
export interface EarlierTiming {
  timing: ScheduleTiming | null;
  untilAt: Date;
}

interface Span {
  timing: ScheduleTiming | null;
  /** Exclusive lower bound; -Infinity for the first span. */
  afterMs: number;
  /** Inclusive upper bound; Infinity for the current timing. */
  untilMs: number;
}

/** The spans in order: each earlier timing from the end of the one before, then the current one. */
function toSpans(timing: ScheduleTiming | null, earlier: readonly EarlierTiming[]): Span[] {
  const spans: Span[] = [];
  let afterMs = Number.NEGATIVE_INFINITY;
  for (const span of earlier) {
    const untilMs = Math.max(afterMs, span.untilAt.getTime());
    spans.push({ timing: span.timing, afterMs, untilMs });
    afterMs = untilMs;
  }
  spans.push({ timing, afterMs, untilMs: Number.POSITIVE_INFINITY });
  return spans;
}

/**
 * The owed instants t with after < t <= until, ascending, the last `limit` of them: each from
 * the timing in force at t (`timing` after the earlier ones; null when it owes nothing). With no
 * earlier timings this is `computeFireTimesBetween`.
 */
export function computeOwedFireTimesBetween(
  timing: ScheduleTiming | null,
  earlier: readonly EarlierTiming[],
  after: Date,
  until: Date,
  limit: number,
): Date[] {
  if (earlier.length === 0) return timing ? computeFireTimesBetween(timing, after, until, limit) : [];
  const owed: Date[] = [];
  for (const span of toSpans(timing, earlier)) {
    const fromMs = Math.max(after.getTime(), span.afterMs);
    const toMs = Math.min(until.getTime(), span.untilMs);
    if (span.timing === null || toMs <= fromMs) continue;
    owed.push(...computeFireTimesBetween(span.timing, new Date(fromMs), new Date(toMs), limit));
  }
  return owed.slice(-limit);
}

/** The first owed instant strictly after `after`, from the timing in force then; null if none. */
export function computeNextOwedFireTime(
  timing: ScheduleTiming,
  earlier: readonly EarlierTiming[],
  after: Date,
): Date | null {
  if (earlier.length === 0) return computeNextFireTime(timing, after);
  for (const span of toSpans(timing, earlier)) {
    if (span.timing === null || span.untilMs <= after.getTime()) continue;
    const next = computeNextFireTime(span.timing, new Date(Math.max(after.getTime(), span.afterMs)));
    if (next !== null && next.getTime() <= span.untilMs) return next;
  }
  return null;
}

/**
 * What a schedule whose timing is replaced at `changeAtMs` (its change floor) still owes under
 * the timings being replaced: the instants after its cursor that were due by then (up to the
 * change, and not past `nowMs`), such as a nominal instant waiting for its jitter or a fire in
 * flight. Returns the earlier timings the new definition carries, or undefined when nothing is
 * owed. A span from `nowMs` to the change (a database clock ahead of this one) owes nothing: no
 * timing was due there yet, and the new one starts after the change.
 */
export function carryOwedTimings(
  previous: {
    timing: ScheduleTiming;
    earlier?: readonly EarlierTiming[];
    cursorAt: Date;
    nextAt: Date | null;
  },
  changeAtMs: number,
  nowMs: number,
): EarlierTiming[] | undefined {
  const dueUntilMs = Math.min(changeAtMs, nowMs);
  const { cursorAt, nextAt } = previous;
  if (nextAt === null || nextAt.getTime() > dueUntilMs || cursorAt.getTime() >= dueUntilMs) return undefined;
  const kept = (previous.earlier ?? []).filter((span) => span.untilAt > cursorAt);
  const carried: EarlierTiming[] = [...kept, { timing: previous.timing, untilAt: new Date(dueUntilMs) }];
  if (dueUntilMs < changeAtMs) carried.push({ timing: null, untilAt: new Date(changeAtMs) });
  return carried;
}
