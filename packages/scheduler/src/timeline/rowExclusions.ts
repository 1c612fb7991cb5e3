import { compileExclusions, type CalendarDates, type ExclusionMatcher, type Schedule } from "@hotbeat/shared";

/** Shared by every schedule without excluded dates (nearly all): nothing to compile or hold. */
const NO_EXCLUSIONS: ExclusionMatcher[] = Object.freeze([]) as unknown as ExclusionMatcher[];

const isEmpty = (list: readonly unknown[] | null | undefined) => !Array.isArray(list) || list.length === 0;

/** The matchers of `row`'s excluded dates, its own and its calendars' (`calendarDates`, read with it). */
export function compileRowExclusions(
  row: Schedule,
  calendarDates: readonly CalendarDates[],
): ExclusionMatcher[] {
  if (isEmpty(row.exclude) && isEmpty(row.calendars)) return NO_EXCLUSIONS;
  return compileExclusions(row.exclude ?? [], row.calendars ?? [], calendarDates);
}
