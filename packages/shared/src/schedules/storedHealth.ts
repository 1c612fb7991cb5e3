import { InvalidSchedule, type ErrorDetail } from "../errors.js";
import type { Schedule } from "./model.js";
import { findRowProblems } from "./timingHealth.js";
import { scheduleFieldsSchema } from "./scheduleFields.js";
import { assertValidDraft } from "./draftProblems.js";
import { toDraft, toErrorDetails } from "./validation.js";

/** Whether hotbeat can fire a stored schedule, and if not, why. */
export interface ScheduleHealth {
  status: "ok" | "invalid";
  /** The first problem, as `field: message`; null when the schedule is ok. */
  reason: string | null;
  problems: ErrorDetail[];
}

/**
 * A stored row as the API's readers load it: with the calendars it names that do not exist, which
 * only the database can tell. Absent when the reader did not look; no calendar is then reported.
 */
export type StoredSchedule = Schedule & { missingCalendars?: readonly string[] };

/**
 * The fields a raw SQL edit can set to something the API would refuse, beyond those the scheduler
 * checks: labels change nothing about when a schedule fires, so the scheduler keeps firing a row
 * whose labels are not string labels, but its health says so, in the write path's words.
 */
const storedFieldsSchema = scheduleFieldsSchema.pick({
  timezone: true,
  intervalSeconds: true,
  misfirePolicy: true,
  misfireGraceSeconds: true,
  overlapPolicy: true,
  jitterSeconds: true,
  labels: true,
});

/**
 * The problems of a row as stored, which a raw SQL edit may have put there past the API's
 * validation: first those that keep the scheduler from holding it ({@link findRowProblems}: a
 * cron that does not parse, an unknown zone, an infinite or out-of-range instant, a field out of
 * its range, excluded dates that do not read, a calendar that does not exist as the reader found,
 * see {@link StoredSchedule}), then those only the write path refuses (a policy, labels or a
 * payload it would not accept). Such a schedule is listed with this reason and can still be
 * paused, edited or deleted.
 */
export function findStoredProblems(row: StoredSchedule): ErrorDetail[] {
  const problems = findRowProblems(row, row.missingCalendars ?? []);
  const found = new Set(problems.map((problem) => problem.field));
  // The write path's own checks also see the timing; a field already reported is not repeated.
  const addNew = (details: readonly ErrorDetail[]) =>
    problems.push(...details.filter((detail) => !found.has(detail.field)));
  // Parsed with the input reported, as the write path parses, so the messages are its own.
  const fields = storedFieldsSchema.safeParse(
    {
      timezone: row.timezone,
      intervalSeconds: row.intervalSeconds,
      misfirePolicy: row.misfirePolicy,
      misfireGraceSeconds: row.misfireGraceSeconds,
      overlapPolicy: row.overlapPolicy,
      jitterSeconds: row.jitterSeconds,
      labels: row.labels ?? {},
    },
    { reportInput: true },
  );
  if (!fields.success) addNew(toErrorDetails(fields.error));
  try {
    assertValidDraft(toDraft(row));
  } catch (error) {
    if (!(error instanceof InvalidSchedule)) throw error;
    addNew(error.details);
  }
  return problems;
}

/** {@link findStoredProblems} summed up for the API: `ok`, or `invalid` with the first reason. */
export function checkStoredSchedule(row: StoredSchedule): ScheduleHealth {
  const problems = findStoredProblems(row);
  const first = problems[0];
  return first
    ? { status: "invalid", reason: `${first.field}: ${first.message}`, problems }
    : { status: "ok", reason: null, problems };
}
