import { findExclusionAt, type Exclusion, type ExclusionMatcher } from "./exclusions.js";
import { computeNextFireTimes } from "./fireTimes.js";
import type { ScheduleTiming } from "./model.js";

/** A backfill runs at most this many instants in one call (README, "Backfill"). */
export const BACKFILL_CAP = 10_000;
/** Beyond the cap, instants are counted up to this many for the refusal's message, no further. */
export const BACKFILL_COUNT_LIMIT = 100_000;

/** One instant of a backfill range, with the exclusion that keeps it from running, if any. */
export interface BackfillInstant {
  at: Date;
  exclusion: Exclusion | null;
}

export type BackfillRange =
  | { isOverCap: false; instants: BackfillInstant[] }
  /** `count` is exact unless `isCountCapped`, which means "more than BACKFILL_COUNT_LIMIT". */
  | { isOverCap: true; count: number; isCountCapped: boolean };

/**
 * The schedule's instants t with from <= t <= to, both ends inclusive, so the first and last
 * instants a user names are the first and last that run. Each is marked with its exclusion, read
 * on the zone's wall calendar like every fire. More than `cap` of them is refused by the caller:
 * the answer then counts them (exactly, up to BACKFILL_COUNT_LIMIT).
 */
export function listBackfillInstants(
  timing: ScheduleTiming,
  matchers: readonly ExclusionMatcher[],
  from: Date,
  to: Date,
  cap = BACKFILL_CAP,
): BackfillRange {
  const toMs = to.getTime();
  const justBefore = new Date(from.getTime() - 1);
  if (toMs < from.getTime()) return { isOverCap: false, instants: [] };
  const within = (limit: number) =>
    computeNextFireTimes(timing, justBefore, limit).filter((at) => at.getTime() <= toMs);
  const instants = within(cap + 1);
  if (instants.length <= cap) {
    return {
      isOverCap: false,
      instants: instants.map((at) => ({ at, exclusion: findExclusionAt(at, timing.timezone, matchers) })),
    };
  }
  const counted = within(BACKFILL_COUNT_LIMIT + 1).length;
  return {
    isOverCap: true,
    count: Math.min(counted, BACKFILL_COUNT_LIMIT),
    isCountCapped: counted > BACKFILL_COUNT_LIMIT,
  };
}
