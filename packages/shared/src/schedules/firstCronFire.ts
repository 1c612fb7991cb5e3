import type { ParsedCron } from "./cron.js";
import { generateCronFires } from "./cronFires.js";
import { getZoneTimeline } from "./zoneTimeline.js";

/** The last answer given for one parsed cron: its first fire strictly after `afterMs` in `timezone`. */
interface LastAnswer {
  timezone: string;
  afterMs: number;
  fireMs: number;
}

/**
 * One answer per parsed cron (parseCron shares one object per expression, per name when it has
 * `H`, so two names never share an `H` answer). Schedules that share an expression are placed
 * from nearby cursors — their last fire, or a load of rows written together — and finding a
 * fire months ahead walks the calendar each time; the answer holds for every cursor up to it.
 * Weak, so an expression dropped from parseCron's cache takes its answer with it.
 */
const lastAnswers = new WeakMap<ParsedCron, LastAnswer>();

/**
 * The first fire of `cron` in `timezone` strictly after `afterMs`, or null when it has none within
 * the search limit of {@link generateCronFires}. When the last answer for this cron and zone was
 * f for a cursor a, nothing fires in (a, f), so for any cursor in [a, f) the answer is f again.
 */
export function findFirstCronFireAfter(cron: ParsedCron, timezone: string, afterMs: number): number | null {
  const last = lastAnswers.get(cron);
  if (last !== undefined && last.timezone === timezone && afterMs >= last.afterMs && afterMs < last.fireMs)
    return last.fireMs;
  for (const fireMs of generateCronFires(cron, getZoneTimeline(timezone), afterMs)) {
    lastAnswers.set(cron, { timezone, afterMs, fireMs });
    return fireMs;
  }
  return null;
}
