import { parseCron } from "./cron.js";
import type { Schedule, ScheduleTiming } from "./model.js";
import { isValidTimeZone } from "./timeZones.js";

/** The instants hotbeat fires at and stores: years 1 through 9999, as ISO 8601 writes them. */
const EARLIEST_INSTANT_MS = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST_INSTANT_MS = Date.parse("9999-12-31T23:59:59.999Z");

function checkInstant(field: string, value: Date | null): string | null {
  if (value === null) return null;
  const ms = value.getTime();
  // PostgreSQL's ±infinity and years BC reach JavaScript as an Invalid Date (NaN).
  if (!Number.isFinite(ms)) return `${field}: is not a finite instant`;
  if (ms < EARLIEST_INSTANT_MS || ms > LATEST_INSTANT_MS) return `${field}: is outside the years 1 to 9999`;
  return null;
}

/**
 * Every reason below reads `field: message`, the form of the API's error details.
 *
 * The cheap part of {@link checkTiming}: the instants and the interval, no parsing. Fire-time math
 * runs it on entry, so no NaN or unsafe number ever comes out of it.
 */
export function checkTimingValues(timing: ScheduleTiming): string | null {
  const instants = [
    checkInstant("runAt", timing.runAt),
    checkInstant("startAt", timing.startAt),
    checkInstant("endAt", timing.endAt),
    checkInstant("intervalAnchorAt", timing.intervalAnchorAt),
  ];
  const instantReason = instants.find((reason) => reason !== null);
  if (instantReason) return instantReason;
  const kinds = [timing.cron, timing.intervalSeconds, timing.runAt].filter((value) => value !== null);
  if (kinds.length !== 1) return "cron: exactly one of cron, intervalSeconds and runAt must be set";
  const seconds = timing.intervalSeconds;
  if (seconds !== null && !(seconds >= 1)) return "intervalSeconds: must be at least 1";
  if (seconds !== null && !Number.isSafeInteger(seconds * 1000))
    return "intervalSeconds: must be a whole number of seconds below 2^53 ms";
  return null;
}

/**
 * Why hotbeat cannot compute fires for `timing`, or null when it can. Catches what a raw SQL edit
 * can put in a row and the write path refuses: ±infinity and out-of-range instants, an interval
 * whose milliseconds are not a safe integer, a zone or a cron that does not parse.
 */
export function checkTiming(timing: ScheduleTiming): string | null {
  const valuesReason = checkTimingValues(timing);
  if (valuesReason) return valuesReason;
  if (!isValidTimeZone(timing.timezone))
    return `timezone: ${JSON.stringify(timing.timezone)} is not an IANA zone`;
  if (timing.cron !== null) {
    try {
      parseCron(timing.cron);
    } catch (error) {
      return `cron: does not parse: ${error instanceof Error ? error.message : "unknown error"}`;
    }
  }
  return null;
}

/**
 * Why the scheduler cannot hold `row`, or null when it can: {@link checkTiming} of its timing plus
 * the other values the scheduler computes with (its change instant, grace and jitter).
 */
export function checkScheduleRow(row: Schedule): string | null {
  const timingReason = checkTiming({
    cron: row.cron,
    intervalSeconds: row.intervalSeconds,
    runAt: row.runAt,
    timezone: row.timezone,
    startAt: row.startAt,
    endAt: row.endAt,
    intervalAnchorAt: row.intervalAnchorAt,
  });
  if (timingReason) return timingReason;
  const changeReason = checkInstant("updatedAt", row.updatedAt) ?? checkInstant("createdAt", row.createdAt);
  if (changeReason) return changeReason;
  if (!Number.isSafeInteger(row.misfireGraceSeconds * 1000) || row.misfireGraceSeconds < 0)
    return "misfireGraceSeconds: must be a whole number of seconds";
  if (!Number.isSafeInteger(row.jitterSeconds * 1000) || row.jitterSeconds < 0)
    return "jitterSeconds: must be a whole number of seconds";
  return null;
}
