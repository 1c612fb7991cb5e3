import { z } from "zod";
import { MISFIRE_POLICIES, NAME_PATTERN, OVERLAP_POLICIES, PAUSE_MODES } from "./model.js";
import { scheduleAlertSchema } from "./alert.js";
import { dateSetSchema } from "./dateSet.js";
import { labelsSchema } from "./labels.js";
import { isValidTimeZone } from "./timeZones.js";

// The editable fields of a schedule as a schema: what the API, the CLI, the page and import accept.
// Turning accepted input into a stored definition is validation.ts; the checks across fields are
// draftProblems.ts.

/**
 * True for an instant in years 1 to 9999 UTC. Outside them ISO 8601 needs expanded years, which
 * neither PostgreSQL's input nor most clients read back (`9999-12-31T23:59:59-23:59` is in 10000).
 */
export function isSupportedInstant(at: Date): boolean {
  const year = at.getUTCFullYear();
  return Number.isFinite(at.getTime()) && year >= 1 && year <= 9999;
}

/** The message for an instant outside {@link isSupportedInstant}. */
export const UNSUPPORTED_INSTANT_MESSAGE = "must be an instant between the years 1 and 9999 (UTC)";

const instant = z.iso
  .datetime({
    offset: true,
    message: "must be an ISO 8601 instant with an offset, e.g. 2026-12-01T09:15:00+07:00",
  })
  .transform((value) => new Date(value))
  .refine(isSupportedInstant, UNSUPPORTED_INSTANT_MESSAGE);

const MAX_INTERVAL_SECONDS = 366 * 86_400;
/** How many shared calendars one schedule may name. */
export const MAX_CALENDARS = 20;

/** The editable fields of a schedule, as accepted by the API, the CLI, the UI and import. */
export const scheduleFieldsSchema = z.strictObject({
  name: z
    .string()
    .regex(NAME_PATTERN, "must match ^[a-z0-9][a-z0-9_.-]{0,99}$ (lowercase letters, digits, _ . -)"),
  task: z
    .string()
    .min(1, "must not be empty")
    .max(200, "must be at most 200 characters")
    .regex(/^[A-Za-z0-9_.:-]+$/, "may contain only letters, digits, _ . : -"),
  description: z.string().max(2000, "must be at most 2000 characters"),
  cron: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").nullable(),
  intervalSeconds: z
    .number({ message: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1")
    .max(MAX_INTERVAL_SECONDS, `must be at most ${MAX_INTERVAL_SECONDS} (a year)`)
    .nullable(),
  runAt: instant.nullable(),
  timezone: z.string().refine(isValidTimeZone, "must be an IANA time zone such as Asia/Ho_Chi_Minh"),
  payload: z.record(z.string(), z.unknown(), { message: "must be a JSON object" }),
  enabled: z.boolean({ message: "must be true or false" }),
  startAt: instant.nullable(),
  endAt: instant.nullable(),
  misfirePolicy: z.enum(MISFIRE_POLICIES, { message: `must be one of ${MISFIRE_POLICIES.join(", ")}` }),
  misfireGraceSeconds: z
    .number()
    .int("must be a whole number")
    .min(0, "must be >= 0")
    .max(31 * 86_400),
  overlapPolicy: z.enum(OVERLAP_POLICIES, { message: `must be one of ${OVERLAP_POLICIES.join(", ")}` }),
  jitterSeconds: z
    .number()
    .int("must be a whole number")
    .min(0, "must be >= 0")
    .max(3600, "must be at most 3600"),
  labels: labelsSchema,
  exclude: dateSetSchema,
  calendars: z
    .array(z.string().regex(NAME_PATTERN, "must be the name of a calendar"), {
      message: "must be a list of calendar names",
    })
    .max(MAX_CALENDARS, `must name at most ${MAX_CALENDARS} calendars`)
    .refine((names) => new Set(names).size === names.length, "must not name a calendar twice"),
  pausedUntil: instant.nullable(),
  pauseMode: z.enum(PAUSE_MODES, { message: `must be one of ${PAUSE_MODES.join(", ")}` }),
  alert: scheduleAlertSchema,
});

/** A create request: name and task required, one of cron / intervalSeconds / runAt, the rest defaulted. */
export const scheduleCreateSchema = scheduleFieldsSchema.partial().required({ name: true, task: true });
/** A partial update: any field but the name. */
export const schedulePatchSchema = scheduleFieldsSchema.omit({ name: true }).partial();
/** Fields hotbeat maintains itself; export emits them and import ignores them. */
export const READ_ONLY_FIELDS = [
  "version",
  "createdAt",
  "updatedAt",
  "updatedBy",
  "health",
  "summary",
] as const;

export type ScheduleCreateInput = z.infer<typeof scheduleCreateSchema>;
export type SchedulePatchInput = z.infer<typeof schedulePatchSchema>;
