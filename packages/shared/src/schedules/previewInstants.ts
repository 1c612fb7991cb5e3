import { DateTime } from "luxon";
import { findExclusionAt, toLocalDate, type Exclusion, type ExclusionMatcher } from "./exclusions.js";
import { computeNextFireTimes } from "./fireTimes.js";
import type { ScheduleTiming } from "./model.js";

/** One instant of a preview: it fires, or it is excluded, or it was skipped by hand. */
export interface PreviewInstant {
  at: Date;
  exclusion: Exclusion | null;
  /** The reason of the `skipped` run recorded for it (`skipped by alice`); null when none. */
  skipReason: string | null;
}

export interface PreviewInstants {
  /** Ascending; exactly `count` fire unless the schedule ends (or the search gives up) first. */
  instants: PreviewInstant[];
  /** True when instants that will not fire were passed over without being listed (see the caps). */
  hasUnlistedPassedOver: boolean;
}

/** Instants that do not fire listed at most, so a per-second schedule's excluded day stays short. */
export const MAX_LISTED_PASSED_OVER = 100;
/** Instants and excluded days looked at, at most, before the preview gives up on finding more. */
const MAX_STEPS = 5000;

/** The first instant of the local day after `at`'s, in `zone` (a skipped midnight moves forward). */
function startOfNextLocalDay(at: Date, zone: string): Date {
  const next = DateTime.fromISO(toLocalDate(at, zone), { zone }).plus({ days: 1 }).startOf("day");
  return next.toJSDate();
}

/**
 * The next instants strictly after `from` until `count` of them fire, with the excluded and the
 * hand-skipped ones between them kept in the list and marked, so a user sees "Tue 2027-09-02
 * excluded". Past {@link MAX_LISTED_PASSED_OVER} such instants, the rest are passed over unlisted
 * (an excluded day at a time), and `hasUnlistedPassedOver` says so.
 */
export function listPreviewInstants(
  timing: ScheduleTiming,
  options: {
    from: Date;
    count: number;
    matchers: readonly ExclusionMatcher[];
    /** Reasons of the hand-skipped instants, by epoch ms. */
    skipped?: ReadonlyMap<number, string>;
    /** Instants and excluded days looked at, at most (default {@link MAX_STEPS}). */
    maxSteps?: number;
  },
): PreviewInstants {
  const { count, matchers, maxSteps = MAX_STEPS } = options;
  const skipped = options.skipped ?? new Map<number, string>();
  const instants: PreviewInstant[] = [];
  let firing = 0;
  let passedOver = 0;
  let hasUnlistedPassedOver = false;
  let cursor = options.from;
  for (let steps = 0; firing < count && steps < maxSteps;) {
    const batch = computeNextFireTimes(timing, cursor, count - firing + 8);
    if (batch.length === 0) break;
    for (const at of batch) {
      steps += 1;
      cursor = at;
      const exclusion = findExclusionAt(at, timing.timezone, matchers);
      const skipReason = skipped.get(at.getTime()) ?? null;
      if (exclusion === null && skipReason === null) {
        instants.push({ at, exclusion, skipReason });
        if (++firing >= count) break;
        continue;
      }
      if (passedOver < MAX_LISTED_PASSED_OVER) {
        passedOver += 1;
        instants.push({ at, exclusion, skipReason });
        continue;
      }
      hasUnlistedPassedOver = true;
      if (exclusion !== null) {
        // The whole local day is excluded: jump to its end rather than walk it instant by instant.
        cursor = new Date(startOfNextLocalDay(at, timing.timezone).getTime() - 1);
        break;
      }
    }
  }
  return { instants, hasUnlistedPassedOver };
}
