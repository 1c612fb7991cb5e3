import { InvalidSchedule, type ErrorDetail } from "../errors.js";
import type { Schedule } from "./model.js";
import { findRowProblems } from "./timingHealth.js";
import { assertValidDraft, scheduleFieldsSchema, toDraft, toErrorDetails } from "./validation.js";

/** Whether hotbeat can fire a stored schedule, and if not, why. */
export interface ScheduleHealth {
  status: "ok" | "invalid";
  /** The first problem, as `field: message`; null when the schedule is ok. */
  reason: string | null;
  problems: ErrorDetail[];
}

/** The scalar fields a raw SQL edit can set to something the API would refuse. */
const scalarFieldsSchema = scheduleFieldsSchema.pick({
  timezone: true,
  intervalSeconds: true,
  misfirePolicy: true,
  misfireGraceSeconds: true,
  overlapPolicy: true,
  jitterSeconds: true,
});

/**
 * The problems of a row as stored, which a raw SQL edit may have put there past the API's
 * validation: first those that keep the scheduler from holding it ({@link findRowProblems}), then
 * those only the write path refuses (a policy or a payload it would not accept). A cron that does not parse, an unknown zone, an infinite or out-of-range instant,
 * a field out of its range. Such a schedule cannot fire; it is listed with this reason and can
 * still be paused, edited or deleted.
 */
export function findStoredProblems(row: Schedule): ErrorDetail[] {
  const problems = findRowProblems(row);
  const found = new Set(problems.map((problem) => problem.field));
  // The write path's own checks also see the timing; a field already reported is not repeated.
  const addNew = (details: readonly ErrorDetail[]) =>
    problems.push(...details.filter((detail) => !found.has(detail.field)));
  const scalars = scalarFieldsSchema.safeParse({
    timezone: row.timezone,
    intervalSeconds: row.intervalSeconds,
    misfirePolicy: row.misfirePolicy,
    misfireGraceSeconds: row.misfireGraceSeconds,
    overlapPolicy: row.overlapPolicy,
    jitterSeconds: row.jitterSeconds,
  });
  if (!scalars.success) addNew(toErrorDetails(scalars.error));
  try {
    assertValidDraft(toDraft(row));
  } catch (error) {
    if (!(error instanceof InvalidSchedule)) throw error;
    addNew(error.details);
  }
  return problems;
}

/** {@link findStoredProblems} summed up for the API: `ok`, or `invalid` with the first reason. */
export function checkStoredSchedule(row: Schedule): ScheduleHealth {
  const problems = findStoredProblems(row);
  const first = problems[0];
  return first
    ? { status: "invalid", reason: `${first.field}: ${first.message}`, problems }
    : { status: "ok", reason: null, problems };
}
