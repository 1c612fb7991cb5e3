import { InvalidSchedule, type ErrorDetail } from "../errors.js";
import type { Schedule } from "./model.js";
import {
  assertValidDraft,
  isSupportedInstant,
  scheduleFieldsSchema,
  toDraft,
  toErrorDetails,
} from "./validation.js";

/** Whether hotbeat can fire a stored schedule, and if not, why. */
export interface ScheduleHealth {
  status: "ok" | "invalid";
  /** The first problem, as `field: message`; null when the schedule is ok. */
  reason: string | null;
  problems: ErrorDetail[];
}

const INSTANT_FIELDS = ["runAt", "startAt", "endAt", "intervalAnchorAt"] as const;

/** The scalar fields a raw SQL edit can set to something the API would refuse. */
const scalarFieldsSchema = scheduleFieldsSchema.pick({
  timezone: true,
  intervalSeconds: true,
  misfirePolicy: true,
  misfireGraceSeconds: true,
  overlapPolicy: true,
  jitterSeconds: true,
});

function describeInstant(at: Date): string {
  return Number.isFinite(at.getTime())
    ? `is ${at.toISOString()}, outside the years 1 to 9999`
    : "is not a finite instant (infinity or out of range)";
}

/**
 * The problems of a row as stored, which a raw SQL edit may have put there past the API's
 * validation: a cron that does not parse, an unknown zone, an infinite or out-of-range instant,
 * a field out of its range. Such a schedule cannot fire; it is listed with this reason and can
 * still be paused, edited or deleted.
 */
export function findStoredProblems(row: Schedule): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const field of INSTANT_FIELDS) {
    const at = row[field];
    if (at !== null && !isSupportedInstant(at)) problems.push({ field, message: describeInstant(at) });
  }
  const scalars = scalarFieldsSchema.safeParse({
    timezone: row.timezone,
    intervalSeconds: row.intervalSeconds,
    misfirePolicy: row.misfirePolicy,
    misfireGraceSeconds: row.misfireGraceSeconds,
    overlapPolicy: row.overlapPolicy,
    jitterSeconds: row.jitterSeconds,
  });
  if (!scalars.success) problems.push(...toErrorDetails(scalars.error));
  try {
    assertValidDraft(toDraft(row));
  } catch (error) {
    if (!(error instanceof InvalidSchedule)) throw error;
    problems.push(...error.details);
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
