import type { ErrorDetail } from "../errors.js";
import { parseCron } from "./cron.js";
import { dateSetSchema } from "./dateSet.js";
import type { Schedule, ScheduleTiming } from "./model.js";
import { isValidTimeZone } from "./timeZones.js";
import { toErrorDetails } from "./validation.js";

// The one place that finds what a row needs for hotbeat to compute its fires. The scheduler
// refuses to hold a row with a problem here; the API's health (storedHealth.ts) starts from the
// same list and adds what only the write path cares about. Every problem is an API error detail.

/** The instants hotbeat fires at and stores: years 1 through 9999, as ISO 8601 writes them. */
const EARLIEST_INSTANT_MS = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST_INSTANT_MS = Date.parse("9999-12-31T23:59:59.999Z");

function checkInstant(field: string, value: Date | null): ErrorDetail | null {
  if (value === null) return null;
  const ms = value.getTime();
  // PostgreSQL's ±infinity and years BC reach JavaScript as an Invalid Date (NaN).
  if (!Number.isFinite(ms)) return { field, message: "is not a finite instant" };
  if (ms < EARLIEST_INSTANT_MS || ms > LATEST_INSTANT_MS)
    return { field, message: "is outside the years 1 to 9999" };
  return null;
}

function present(details: Array<ErrorDetail | null>): ErrorDetail[] {
  return details.filter((detail): detail is ErrorDetail => detail !== null);
}

function toReason(details: readonly ErrorDetail[]): string | null {
  const first = details[0];
  return first ? `${first.field}: ${first.message}` : null;
}

/** The instants and the interval of `timing`, no parsing. */
function findTimingValueProblems(timing: ScheduleTiming): ErrorDetail[] {
  const problems = present([
    checkInstant("runAt", timing.runAt),
    checkInstant("startAt", timing.startAt),
    checkInstant("endAt", timing.endAt),
    checkInstant("intervalAnchorAt", timing.intervalAnchorAt),
  ]);
  const kinds = [timing.cron, timing.intervalSeconds, timing.runAt].filter((value) => value !== null);
  if (kinds.length !== 1)
    problems.push({ field: "cron", message: "exactly one of cron, intervalSeconds and runAt must be set" });
  const seconds = timing.intervalSeconds;
  if (seconds !== null && !(seconds >= 1))
    problems.push({ field: "intervalSeconds", message: "must be at least 1" });
  else if (seconds !== null && !Number.isSafeInteger(seconds * 1000))
    problems.push({ field: "intervalSeconds", message: "must be a whole number of seconds below 2^53 ms" });
  return problems;
}

/** Every problem of `timing`: its values, then its zone and its cron. */
function findTimingProblems(timing: ScheduleTiming): ErrorDetail[] {
  const problems = findTimingValueProblems(timing);
  if (!isValidTimeZone(timing.timezone))
    problems.push({ field: "timezone", message: `${JSON.stringify(timing.timezone)} is not an IANA zone` });
  if (timing.cron !== null) {
    try {
      parseCron(timing.cron);
    } catch (error) {
      const message = error instanceof Error ? error.message : "unknown error";
      problems.push({ field: "cron", message: `does not parse: ${message}` });
    }
  }
  return problems;
}

/**
 * `exclude` as the write path reads it (same schema, same messages). Dates that cannot be read
 * cannot be skipped: firing anyway would fire on the very days the owner excluded.
 */
function findExcludeProblems(exclude: unknown): ErrorDetail[] {
  if (exclude === null || exclude === undefined) return [];
  if (Array.isArray(exclude) && exclude.length === 0) return [];
  const parsed = dateSetSchema.safeParse(exclude, { reportInput: true });
  return parsed.success ? [] : toErrorDetails(parsed.error, "exclude");
}

/**
 * The problems of the calendars a row names: a name that is not a string, or one of `missing`
 * (deleted, or named by a raw SQL edit). Its dates, which the schedule means to skip, are unknown,
 * so the schedule is not what its owner wrote. Creating the calendar bumps every schedule naming
 * it (the calendar triggers), which brings it back.
 */
function findCalendarProblems(names: unknown, missing: readonly string[]): ErrorDetail[] {
  if (!Array.isArray(names)) return [];
  const absent = new Set(missing);
  return names.flatMap((name: unknown, index): ErrorDetail[] => {
    if (typeof name !== "string")
      return [{ field: `calendars.${index}`, message: "must be the name of a calendar" }];
    return absent.has(name)
      ? [{ field: `calendars.${index}`, message: `calendar "${name}" does not exist` }]
      : [];
  });
}

/**
 * Every problem that keeps the scheduler from holding `row`, in the order they are reported: its
 * timing, then the other values the scheduler computes with (its change instant, grace, jitter),
 * then the dates it skips (its own, and the calendars it names that are `missingCalendars`, as
 * the caller found them with the row). Catches what a raw SQL edit can put in a row and the write
 * path refuses: ±infinity and out-of-range instants, an interval whose milliseconds are not a safe
 * integer, a zone or a cron that does not parse, excluded dates that do not read, a calendar that
 * does not exist.
 */
export function findRowProblems(row: Schedule, missingCalendars: readonly string[] = []): ErrorDetail[] {
  const problems = findTimingProblems(row);
  problems.push(
    ...present([checkInstant("updatedAt", row.updatedAt), checkInstant("createdAt", row.createdAt)]),
  );
  if (!Number.isSafeInteger(row.misfireGraceSeconds * 1000) || row.misfireGraceSeconds < 0)
    problems.push({ field: "misfireGraceSeconds", message: "must be a whole number of seconds" });
  if (!Number.isSafeInteger(row.jitterSeconds * 1000) || row.jitterSeconds < 0)
    problems.push({ field: "jitterSeconds", message: "must be a whole number of seconds" });
  problems.push(...findExcludeProblems(row.exclude));
  problems.push(...findCalendarProblems(row.calendars, missingCalendars));
  return problems;
}

/**
 * The cheap part of {@link checkTiming}, as `field: message`: the instants and the interval, no
 * parsing. Fire-time math runs it on entry, so no NaN or unsafe number ever comes out of it.
 */
export function checkTimingValues(timing: ScheduleTiming): string | null {
  return toReason(findTimingValueProblems(timing));
}

/** Why hotbeat cannot compute fires for `timing` (the first problem), or null when it can. */
export function checkTiming(timing: ScheduleTiming): string | null {
  return toReason(findTimingProblems(timing));
}

/** Why the scheduler cannot hold `row`: the first of {@link findRowProblems}, or null. */
export function checkScheduleRow(row: Schedule, missingCalendars: readonly string[] = []): string | null {
  return toReason(findRowProblems(row, missingCalendars));
}
