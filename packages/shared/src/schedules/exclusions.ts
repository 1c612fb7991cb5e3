import { compileDateSet, type DateSetMatcher } from "./dateSet.js";
import { getZoneTimeline } from "./zoneTimeline.js";

/** A named calendar's dates, as a schedule that names it excludes them. */
export interface CalendarDates {
  name: string;
  /** As stored; anything but a valid date or range is ignored. */
  dates: readonly unknown[];
}

/** One source of excluded dates: the schedule's own `exclude` (calendar null) or a calendar. */
export interface ExclusionMatcher {
  calendar: string | null;
  matches: DateSetMatcher;
}

/** Why an instant does not fire: the local date that matched, and where it came from. */
export interface Exclusion {
  /** The instant's date in the schedule's zone, `YYYY-MM-DD`. */
  date: string;
  /** The calendar whose dates hold it; null for the schedule's own `exclude`. */
  calendar: string | null;
  /** The entry that holds it, a date or a range. */
  entry: string;
}

/**
 * The matchers of a schedule: its own `exclude` first, then each calendar it names, in its
 * order. A named calendar that does not exist (`calendars` lists a name no row holds) excludes
 * nothing: `calendarDates` simply has no entry for it. Entries a raw SQL edit made malformed
 * (not strings, not dates) are ignored, never thrown on: they must not stop the firing.
 */
export function compileExclusions(
  exclude: readonly unknown[],
  calendarNames: readonly unknown[],
  calendarDates: readonly CalendarDates[],
): ExclusionMatcher[] {
  const matchers: ExclusionMatcher[] = [];
  const own = onlyStrings(exclude);
  if (own.length > 0) matchers.push({ calendar: null, matches: compileDateSet(own) });
  const byName = new Map(calendarDates.map((calendar) => [calendar.name, onlyStrings(calendar.dates)]));
  for (const name of new Set(onlyStrings(calendarNames))) {
    const dates = byName.get(name);
    if (dates && dates.length > 0) matchers.push({ calendar: name, matches: compileDateSet(dates) });
  }
  return matchers;
}

function onlyStrings(values: readonly unknown[] | null | undefined): string[] {
  return Array.isArray(values) ? values.filter((value): value is string => typeof value === "string") : [];
}

const DAY_MS = 86_400_000;

/**
 * The `YYYY-MM-DD` date of an instant on the wall calendar of `zone`: the offset in force at that
 * very instant, so across a DST change the date is the one a clock in the zone showed then (an
 * instant at 01:30 just after a skipped midnight is on the new day; 23:30 just before it is not).
 */
export function toLocalDate(at: Date, zone: string): string {
  const ms = at.getTime();
  // The segment holding the instant, from the zone's shared grid of probes: no lookup per instant.
  const segment = getZoneTimeline(zone)
    .segments(ms, ms + 1)
    .at(-1);
  const localMs = ms + (segment?.offsetMs ?? 0);
  const day = Math.floor(localMs / DAY_MS);
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The exclusion that holds `at`, read on the wall calendar of `zone` (see {@link toLocalDate}),
 * or null when it fires. The schedule's own dates win over a calendar's, then calendars in order.
 */
export function findExclusionAt(
  at: Date,
  zone: string,
  matchers: readonly ExclusionMatcher[],
): Exclusion | null {
  if (matchers.length === 0) return null;
  const date = toLocalDate(at, zone);
  for (const { calendar, matches } of matchers) {
    const entry = matches(date);
    if (entry !== null) return { date, calendar, entry };
  }
  return null;
}

/** True when `at` falls on an excluded date of `zone`. See {@link findExclusionAt}. */
export function isExcludedAt(at: Date, zone: string, matchers: readonly ExclusionMatcher[]): boolean {
  return findExclusionAt(at, zone, matchers) !== null;
}

/**
 * The reason kept on the `skipped` run: `excluded: 2027-01-01` or `excluded by calendar
 * vn-public-holidays (2027-09-02)`.
 */
export function describeExclusion(exclusion: Exclusion): string {
  return exclusion.calendar === null
    ? `excluded: ${exclusion.date}`
    : `excluded by calendar ${exclusion.calendar} (${exclusion.date})`;
}

/** What the preview shows: the date for the schedule's own exclusion, else `calendar NAME`. */
export function labelExclusion(exclusion: Exclusion): string {
  return exclusion.calendar === null ? exclusion.date : `calendar ${exclusion.calendar}`;
}
