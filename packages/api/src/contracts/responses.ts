import { MISFIRE_POLICIES, OVERLAP_POLICIES, PAUSE_MODES, type WriteResult } from "@hotbeat/shared";
import { z } from "zod";
import type { AppliedReport } from "../schedulers/appliedWaiter.js";
import { healthSchema, toScheduleView } from "./scheduleView.js";

/** The error answer of every route: a stable code, a message and, for a bad field, its name. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe(
          "stable: invalid, unauthorized, not_found, conflict, version_conflict, too_large, rate_limited, internal, unavailable",
        ),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })),
    }),
  })
  .meta({ id: "Error" });

/** A stored schedule as the API shows it. Instants are ISO 8601 UTC strings. */
export const scheduleJsonSchema = z
  .object({
    name: z.string(),
    task: z.string(),
    description: z.string(),
    cron: z.string().nullable(),
    intervalSeconds: z.number().int().nullable(),
    runAt: z.string().nullable(),
    timezone: z.string(),
    payload: z.unknown(),
    enabled: z.boolean(),
    startAt: z.string().nullable(),
    endAt: z.string().nullable(),
    misfirePolicy: z.enum(MISFIRE_POLICIES),
    misfireGraceSeconds: z.number().int(),
    overlapPolicy: z.enum(OVERLAP_POLICIES),
    jitterSeconds: z.number().int(),
    labels: z
      .record(z.string(), z.string())
      .describe("Kubernetes-style labels, selected with ?label=key=value"),
    exclude: z
      .array(z.string())
      .describe(
        "dates YYYY-MM-DD and inclusive ranges YYYY-MM-DD/YYYY-MM-DD, in the schedule's zone, not fired",
      ),
    calendars: z.array(z.string()).describe("shared calendars whose dates are excluded too"),
    pausedUntil: z
      .string()
      .nullable()
      .describe("with enabled false: the instant the scheduler turns the schedule back on"),
    pauseMode: z
      .enum(PAUSE_MODES)
      .describe(
        "skip: the fires of the pause are recorded as skipped; catch_up: the misfire policy takes them",
      ),
    alert: z
      .union([
        z.object({ url: z.string(), afterFailures: z.number().int() }),
        z.object({ task: z.string(), afterFailures: z.number().int() }),
      ])
      .nullable()
      .describe("called when a fire is missed, after afterFailures failed runs in a row, and on recovery"),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    health: healthSchema,
    summary: z
      .string()
      .describe('the schedule in words, with its zone: "At 09:15 every day, Asia/Ho_Chi_Minh"'),
  })
  .meta({ id: "Schedule" });

/** A schedule in an export: without `summary`, so that import takes the document back as it is. */
export const exportedScheduleSchema = scheduleJsonSchema
  .omit({ summary: true })
  .meta({ id: "ExportedSchedule" });

/** Present on a write's answer when it was asked with `?wait=applied`. */
export const appliedSchema = z
  .object({
    complete: z
      .boolean()
      .describe("true when every live scheduler applied the new version before the timeout"),
    schedulers: z.array(
      z.object({ instanceId: z.string(), appliedAt: z.string(), latencyMs: z.number().nullable() }),
    ),
    pending: z.array(z.string()).describe("live schedulers that had not applied it when the wait ended"),
  })
  .meta({ id: "Applied" });

/**
 * The envelope of every write that leaves a schedule behind (create, PATCH, the older
 * `/update_schedule`): the schedule as saved, the warnings about it, whether anything changed.
 */
export const scheduleWriteSchema = z
  .object({
    schedule: scheduleJsonSchema,
    warnings: z.array(z.string()),
    changed: z.boolean().describe("false when the request matched what was stored; nothing was written"),
    applied: appliedSchema.optional(),
  })
  .meta({ id: "ScheduleWrite" });

/** The answer of a write that leaves a schedule behind, in the {@link scheduleWriteSchema} envelope. */
export function toScheduleWriteJson(result: WriteResult, applied: AppliedReport | undefined) {
  return {
    schedule: toScheduleView(result.schedule),
    warnings: result.warnings,
    changed: result.changed,
    ...(applied && { applied }),
  };
}

/** The answer of a delete (a schedule's, a calendar's): what was deleted, at which version. */
export const deleteAnswerSchema = z.object({
  deleted: z.object({
    name: z.string(),
    version: z.number().int().describe("the version the delete was recorded at"),
  }),
  applied: appliedSchema.optional(),
});

/** Standard error answers, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  429: errorBodySchema,
  503: errorBodySchema.describe("PostgreSQL is unreachable; Retry-After says when to try again"),
} as const;
