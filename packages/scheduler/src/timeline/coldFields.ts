import type { Schedule } from "@hotbeat/shared";

/** The fields of a row that neither place nor time a schedule: only a fire or a listing reads them. */
type ColdKey =
  | "task"
  | "description"
  | "payload"
  | "enabled"
  | "misfirePolicy"
  | "misfireGraceSeconds"
  | "overlapPolicy"
  | "jitterSeconds"
  | "labels"
  | "exclude"
  | "calendars"
  | "calendarRevision"
  | "pausedUntil"
  | "pauseMode"
  | "alert"
  | "updatedBy";

/**
 * A held schedule's cold fields. Most schedules of one deployment share them exactly (same task,
 * policies, author, no payload, labels or excluded dates), so those hold one shared copy: `isShared`
 * says its JSON values are all empty, and each row built from it gets its own empty ones.
 */
export interface ColdFields extends Pick<Schedule, ColdKey> {
  readonly isShared: boolean;
}

/** Shared cold fields by their scalar values; cleared past a bound, which only ends sharing. */
const sharedColdFields = new Map<string, ColdFields>();
const SHARED_COLD_FIELDS_SIZE = 10_000;

function isEmptyObject(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

const isEmptyArray = (value: unknown) => Array.isArray(value) && value.length === 0;

function copyColdFields(row: Schedule, isShared: boolean): ColdFields {
  return {
    task: row.task,
    description: row.description,
    payload: isShared ? {} : row.payload,
    enabled: row.enabled,
    misfirePolicy: row.misfirePolicy,
    misfireGraceSeconds: row.misfireGraceSeconds,
    overlapPolicy: row.overlapPolicy,
    jitterSeconds: row.jitterSeconds,
    labels: isShared ? {} : row.labels,
    exclude: isShared ? [] : row.exclude,
    calendars: isShared ? [] : row.calendars,
    calendarRevision: row.calendarRevision,
    pausedUntil: row.pausedUntil,
    pauseMode: row.pauseMode,
    alert: isShared ? null : row.alert,
    updatedBy: row.updatedBy,
    isShared,
  };
}

/** The cold fields of `row`: a shared copy when its JSON values are empty, else its own. */
export function packColdFields(row: Schedule): ColdFields {
  const canShare =
    row.pausedUntil === null &&
    (row.alert === null || row.alert === undefined) &&
    isEmptyObject(row.payload) &&
    isEmptyObject(row.labels) &&
    isEmptyArray(row.exclude) &&
    isEmptyArray(row.calendars);
  if (!canShare) return copyColdFields(row, false);
  // Rows come in runs that share them (a load reads rows written together): compare with the
  // last shared copy before building a key.
  if (lastShared !== undefined && isSameScalars(lastShared, row)) return lastShared;
  const key = [
    row.task,
    row.description,
    row.enabled,
    row.misfirePolicy,
    row.misfireGraceSeconds,
    row.overlapPolicy,
    row.jitterSeconds,
    row.calendarRevision,
    row.pauseMode,
    row.updatedBy,
  ].join("\u0000");
  let shared = sharedColdFields.get(key);
  if (shared === undefined) {
    if (sharedColdFields.size >= SHARED_COLD_FIELDS_SIZE) sharedColdFields.clear();
    shared = copyColdFields(row, true);
    sharedColdFields.set(key, shared);
  }
  lastShared = shared;
  return shared;
}

let lastShared: ColdFields | undefined;

/** True when `row` has the scalar cold fields of `cold` (its JSON ones were found empty). */
function isSameScalars(cold: ColdFields, row: Schedule): boolean {
  return (
    cold.task === row.task &&
    cold.description === row.description &&
    cold.enabled === row.enabled &&
    cold.misfirePolicy === row.misfirePolicy &&
    cold.misfireGraceSeconds === row.misfireGraceSeconds &&
    cold.overlapPolicy === row.overlapPolicy &&
    cold.jitterSeconds === row.jitterSeconds &&
    cold.calendarRevision === row.calendarRevision &&
    cold.pauseMode === row.pauseMode &&
    cold.updatedBy === row.updatedBy
  );
}
