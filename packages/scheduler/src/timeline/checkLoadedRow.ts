import {
  checkScheduleRow,
  isValidTimeZone,
  parseCron,
  type CalendarDates,
  type Schedule,
} from "@hotbeat/shared";

// The instants hotbeat fires at and stores, as the full check bounds them (timingHealth.ts).
const EARLIEST_INSTANT_MS = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST_INSTANT_MS = Date.parse("9999-12-31T23:59:59.999Z");

const isStorableMs = (ms: number) => ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;
const isStorableOrNull = (at: Date | null) => at === null || isStorableMs(at.getTime());
const isWholeSeconds = (seconds: number) => seconds >= 0 && Number.isSafeInteger(seconds * 1000);
const isEmptyList = (list: unknown) => Array.isArray(list) && list.length === 0;
const isNameList = (list: unknown) => Array.isArray(list) && list.every((name) => typeof name === "string");

/**
 * True when `row` is plainly fireable: a cron or an interval, every instant finite and storable,
 * whole seconds, a known zone, a cron that parses, no excluded dates of its own (those are read by
 * the full check), calendars named by strings. What the write path and the database constraints
 * make of nearly every row, checked without building the list of problems.
 */
function isPlainlyFireable(row: Schedule): boolean {
  if (!isEmptyList(row.exclude) || !isNameList(row.calendars)) return false;
  const isCron = row.cron !== null && row.intervalSeconds === null;
  const isInterval =
    row.cron === null &&
    row.intervalSeconds !== null &&
    row.intervalSeconds >= 1 &&
    isWholeSeconds(row.intervalSeconds);
  if (!(isCron || isInterval) || row.runAt !== null) return false;
  if (
    !isStorableOrNull(row.startAt) ||
    !isStorableOrNull(row.endAt) ||
    !isStorableOrNull(row.intervalAnchorAt)
  )
    return false;
  if (!isStorableMs(row.createdAt.getTime()) || !isStorableMs(row.updatedAt.getTime())) return false;
  if (!isWholeSeconds(row.misfireGraceSeconds) || !isWholeSeconds(row.jitterSeconds)) return false;
  if (!isValidTimeZone(row.timezone)) return false;
  if (row.cron === null) return true;
  try {
    parseCron(row.cron);
    return true;
  } catch {
    // The full check below says why, in its own words.
    return false;
  }
}

/**
 * The calendars `row` names that are not among `calendarDates`, those read with it in its
 * snapshot: a name there is a calendar that did not exist then. A name that is not a string is
 * left to the full check, which reports it.
 */
function findMissingCalendars(row: Schedule, calendarDates: readonly CalendarDates[]): string[] {
  if (!Array.isArray(row.calendars) || row.calendars.length === 0) return [];
  const loaded = new Set(calendarDates.map((calendar) => calendar.name));
  return row.calendars.filter((name) => typeof name === "string" && !loaded.has(name));
}

/**
 * Why the scheduler cannot hold `row`, or null: {@link checkScheduleRow}, with a fast way through
 * for a plainly fireable row (a full load checks every row, and listing the problems of a row
 * that has none allocates for nothing). Any doubt goes to the full check, so a hostile row
 * still gets its reason, word for word. `calendarDates` are the calendars loaded with the row: a
 * named one missing holds it as invalid until the calendar is created, since the dates it skips
 * are unknown until then.
 */
export function checkLoadedRow(row: Schedule, calendarDates: readonly CalendarDates[]): string | null {
  const missing = findMissingCalendars(row, calendarDates);
  if (missing.length === 0 && isPlainlyFireable(row)) return null;
  return checkScheduleRow(row, missing);
}
