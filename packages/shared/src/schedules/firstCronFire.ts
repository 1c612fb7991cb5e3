import type { ParsedCron } from "./cron.js";
import { generateCronFires } from "./cronFires.js";
import { getZoneTimeline } from "./zoneTimeline.js";

/** The last answer given for one expression: its first fire strictly after `afterMs` in `timezone`. */
interface LastAnswer {
  timezone: string;
  afterMs: number;
  fireMs: number;
}

/**
 * One answer per expression, and per name for an expression with `H` (two names never share an
 * `H` answer). Schedules that share an expression are placed from nearby cursors — their last
 * fire, or a load of rows written together — and finding a fire months ahead walks the calendar
 * each time; the answer holds for every cursor up to it. Keyed by the expression string the
 * schedules already hold, so an entry costs only its answer; cleared past a bound.
 */
const lastAnswers = new Map<string, LastAnswer>();
const LAST_ANSWERS_SIZE = 100_000;

/**
 * The first fire of `cron` in `timezone` strictly after `afterMs`, or null when it has none within
 * the search limit of {@link generateCronFires}. `name` is the schedule's, which an `H` is hashed
 * from. When the last answer for this expression and zone was f for a cursor a, nothing fires in
 * (a, f), so for any cursor in [a, f) the answer is f again.
 */
export function findFirstCronFireAfter(
  cron: ParsedCron,
  timezone: string,
  afterMs: number,
  name = "",
): number | null {
  const key = /h/i.test(cron.expression) ? `${cron.expression}\u0000${name}` : cron.expression;
  const last = lastAnswers.get(key);
  if (last !== undefined && last.timezone === timezone && afterMs >= last.afterMs && afterMs < last.fireMs)
    return last.fireMs;
  for (const fireMs of generateCronFires(cron, getZoneTimeline(timezone), afterMs)) {
    if (last === undefined && lastAnswers.size >= LAST_ANSWERS_SIZE) lastAnswers.clear();
    lastAnswers.set(key, { timezone, afterMs, fireMs });
    return fireMs;
  }
  return null;
}
