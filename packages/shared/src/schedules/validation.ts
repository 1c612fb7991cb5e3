import { findForbiddenKey } from "../support/forbiddenKeys.js";
import type { z } from "zod";
import { InvalidSchedule, type ErrorDetail } from "../errors.js";
import { assertValidDraft, findDraftProblems } from "./draftProblems.js";
import type { Schedule, ScheduleDefinition, ScheduleTiming } from "./model.js";
import { READ_ONLY_FIELDS, scheduleCreateSchema, schedulePatchSchema } from "./scheduleFields.js";
import { findUnstorableValue } from "./storableJson.js";

// From a request body to the draft the write path stores, and drafts compared. The field schemas
// are scheduleFields.ts; the checks across fields of a draft are draftProblems.ts.

/** Every field of a schedule definition, resolved: what the write path stores. */
export interface ScheduleDraft extends ScheduleDefinition<Date> {
  payload: Record<string, unknown>;
}

/** Turns zod's issues into details that name the field ("payload.__proto__", "cron"). */
export function toErrorDetails(error: z.ZodError, prefix = ""): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: [path, key].filter(Boolean).join("."),
        message: (READ_ONLY_FIELDS as readonly string[]).includes(key)
          ? "is maintained by hotbeat and cannot be set"
          : "is not a field of a schedule",
      }));
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      return [{ field: path || "body", message: "is required" }];
    }
    return [{ field: path || "body", message: issue.message }];
  });
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, prefix: string): T {
  const unstorable = findUnstorableValue(input, prefix);
  if (unstorable) throw new InvalidSchedule([unstorable]);
  const forbidden = findForbiddenKey(input, prefix || "body");
  if (forbidden)
    throw new InvalidSchedule([{ field: forbidden.replace(/^body\./, ""), message: "is a forbidden key" }]);
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new InvalidSchedule(toErrorDetails(result.error, prefix));
  return result.data;
}

const KIND_FIELDS = ["cron", "intervalSeconds", "runAt"] as const;

/** Validates a create request and fills in the defaults. */
export function resolveCreate(input: unknown, defaults: { timezone: string }, prefix = ""): ScheduleDraft {
  const value = parseOrThrow(scheduleCreateSchema, input, prefix);
  const draft: ScheduleDraft = {
    name: value.name,
    task: value.task,
    description: value.description ?? "",
    cron: value.cron ?? null,
    intervalSeconds: value.intervalSeconds ?? null,
    runAt: value.runAt ?? null,
    timezone: value.timezone ?? defaults.timezone,
    payload: value.payload ?? {},
    enabled: value.enabled ?? true,
    startAt: value.startAt ?? null,
    endAt: value.endAt ?? null,
    misfirePolicy: value.misfirePolicy ?? "run_once",
    misfireGraceSeconds: value.misfireGraceSeconds ?? 300,
    overlapPolicy: value.overlapPolicy ?? "allow",
    jitterSeconds: value.jitterSeconds ?? 0,
    labels: value.labels ?? {},
    exclude: value.exclude ?? [],
    calendars: value.calendars ?? [],
    pausedUntil: value.pausedUntil ?? null,
    pauseMode: value.pauseMode ?? "skip",
    alert: value.alert ?? null,
  };
  assertValidDraft(draft, prefix);
  return draft;
}

/**
 * Validates a partial update against the current schedule. Setting one kind of timing (say
 * `cron`) clears the others unless the patch names them too, so switching an interval schedule
 * to cron is one field, as a person would expect.
 */
export function resolvePatch(
  current: Schedule,
  input: unknown,
  options: { storedProblemFields?: ReadonlySet<string> } = {},
): ScheduleDraft {
  const patch = parseOrThrow(schedulePatchSchema, input, "");
  const draft: ScheduleDraft = { ...toDraft(current), ...stripUndefined(patch) };
  const setKinds = KIND_FIELDS.filter((k) => patch[k] !== undefined && patch[k] !== null);
  if (setKinds.length > 0) {
    for (const kind of KIND_FIELDS) if (patch[kind] === undefined) draft[kind] = null;
  }
  // Turning a schedule on ends its pause: a resume instant left behind would mean nothing.
  if (patch.enabled === true && patch.pausedUntil === undefined) draft.pausedUntil = null;
  const touched = new Set(Object.keys(stripUndefined(patch)));
  if (setKinds.length > 0) for (const kind of KIND_FIELDS) touched.add(kind);
  // A row broken by raw SQL must stay pausable, editable and deletable: a problem it already had
  // is refused only when the patch touches that field, or turns the schedule back on.
  const isResuming = patch.enabled === true && !current.enabled;
  const isTouched = (field: string) => [...touched].some((t) => field === t || field.startsWith(`${t}.`));
  const tolerated = options.storedProblemFields ?? new Set<string>();
  const details = findDraftProblems(draft).filter(
    (d) => isResuming || isTouched(d.field) || !tolerated.has(d.field),
  );
  if (details.length > 0) throw new InvalidSchedule(details);
  return draft;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The editable part of a stored schedule. */
export function toDraft(row: Schedule): ScheduleDraft {
  return {
    name: row.name,
    task: row.task,
    description: row.description,
    cron: row.cron,
    intervalSeconds: row.intervalSeconds,
    runAt: row.runAt,
    timezone: row.timezone,
    payload: (row.payload ?? {}) as Record<string, unknown>,
    enabled: row.enabled,
    startAt: row.startAt,
    endAt: row.endAt,
    misfirePolicy: row.misfirePolicy,
    misfireGraceSeconds: row.misfireGraceSeconds,
    overlapPolicy: row.overlapPolicy,
    jitterSeconds: row.jitterSeconds,
    labels: row.labels ?? {},
    exclude: row.exclude ?? [],
    calendars: row.calendars ?? [],
    pausedUntil: row.pausedUntil,
    pauseMode: row.pauseMode,
    alert: row.alert ?? null,
  };
}

/** True when two drafts define the same schedule (a save that would change nothing). */
export function isSameDraft(a: ScheduleDraft, b: ScheduleDraft): boolean {
  return Object.keys(diffDrafts(a, b)).length === 0;
}

/**
 * The fields of `next` that differ from `current`: what an update writes, so a field it does not
 * change (even one a raw SQL edit left unwritable, such as an infinite instant) is left alone.
 */
export function diffDrafts(next: ScheduleDraft, current: ScheduleDraft): Partial<ScheduleDraft> {
  const changed: Partial<ScheduleDraft> = {};
  for (const key of Object.keys(next) as (keyof ScheduleDraft)[]) {
    if (!isSameValue(next[key], current[key])) Object.assign(changed, { [key]: next[key] });
  }
  return changed;
}

function isSameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    if (!(a instanceof Date && b instanceof Date)) return false;
    return Object.is(a.getTime(), b.getTime());
  }
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` payloads compare equal. */
function canonical(draft: unknown): string {
  const sortKeys = (value: unknown): unknown =>
    value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
        )
      : Array.isArray(value)
        ? value.map(sortKeys)
        : value;
  return JSON.stringify(sortKeys(draft));
}

/** The timing of a draft or a row, for fire-time math. */
export function toTiming(
  value: ScheduleDraft | Schedule,
  intervalAnchorAt: Date | null = "intervalAnchorAt" in value ? value.intervalAnchorAt : null,
): ScheduleTiming {
  return {
    name: value.name,
    cron: value.cron,
    intervalSeconds: value.intervalSeconds,
    runAt: value.runAt,
    timezone: value.timezone,
    startAt: value.startAt,
    endAt: value.endAt,
    intervalAnchorAt,
  };
}
