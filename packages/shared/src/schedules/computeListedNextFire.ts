import { compileExclusions, type CalendarDates } from "./exclusions.js";
import { computeNextFireTime } from "./fireTimes.js";
import type { Schedule, ScheduleTiming } from "./model.js";
import { listPreviewInstants } from "./previewInstants.js";

/** What the list reads of a row to tell its next run. */
export type ListedTiming = ScheduleTiming & Pick<Schedule, "name" | "enabled" | "exclude" | "calendars">;

/**
 * Instants and excluded days looked at, at most, per row, so one row excluded for years cannot
 * slow the whole list.
 */
export const MAX_LISTED_SEARCH_STEPS = 1000;

const namesOf = (values: unknown): unknown[] => (Array.isArray(values) ? values : []);

/**
 * The next instant a stored row will actually fire strictly after `now`: excluded instants (its
 * own `exclude` and the dates of the calendars it names, from `calendarDates`) are passed over,
 * as the scheduler skips them. Hand skips are runs, not timing, and are not looked at. Null when
 * paused, finished, or when a row edited by SQL cannot be computed.
 *
 * The search walks as the preview does (excluded instants one by one, then an excluded day at a
 * time) but gives up sooner, after {@link MAX_LISTED_SEARCH_STEPS} instants or excluded days,
 * because a list computes it for every matching row: the answer is then null ("no next run
 * known"), never an excluded instant. A daily schedule excluded for years ahead lists no next run.
 */
export function computeListedNextFire(
  row: ListedTiming,
  now: Date,
  calendarDates: readonly CalendarDates[],
): Date | null {
  if (!row.enabled) return null;
  try {
    const matchers = compileExclusions(namesOf(row.exclude), namesOf(row.calendars), calendarDates);
    // Most rows exclude nothing: the plain next fire, without the preview's bookkeeping.
    if (matchers.length === 0) return computeNextFireTime(row, now);
    const { instants } = listPreviewInstants(row, {
      from: now,
      count: 1,
      matchers,
      maxSteps: MAX_LISTED_SEARCH_STEPS,
    });
    return instants.find((instant) => instant.exclusion === null)?.at ?? null;
  } catch {
    // An invalid cron or zone written by SQL: the list still shows the row, without a next run.
    return null;
  }
}

/** The calendar names a page's rows name, for one query of their dates. */
export function collectCalendarNames(rows: readonly Pick<Schedule, "calendars">[]): string[] {
  const names = rows.flatMap((row) => namesOf(row.calendars));
  return [...new Set(names.filter((name): name is string => typeof name === "string"))];
}
