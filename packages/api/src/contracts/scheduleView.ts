import {
  checkStoredSchedule,
  describeSchedule,
  toScheduleJson,
  type Schedule,
  type ScheduleHealth,
  type ScheduleJson,
  type ScheduleRunSummary,
} from "@hotbeat/shared";
import { z } from "zod";

/** Whether hotbeat can fire the stored row; a raw SQL edit can leave one that it cannot. */
export const healthSchema = z
  .object({
    status: z.enum(["ok", "invalid"]).describe("invalid: hotbeat cannot compute its fires until it is fixed"),
    reason: z.string().nullable().describe('the first problem, as "field: message"; null when ok'),
    problems: z.array(z.object({ field: z.string(), message: z.string() })),
  })
  .meta({ id: "ScheduleHealth" });

/** How the schedule's fires went lately, from the run ledger. */
export const runHealthSchema = z
  .object({
    lastFireAt: z.string().nullable().describe("the fire instant of the latest scheduled run; null if none"),
    lastOutcome: z
      .enum(["queued", "running", "succeeded", "failed", "skipped", "missed"])
      .nullable()
      .describe("the status of that run"),
    lastLatenessMs: z.number().nullable().describe("how late that run started after its fire instant"),
    consecutiveFailures: z.number().int().describe("failed scheduled runs since the latest success"),
  })
  .meta({ id: "RunHealth" });

/** A schedule as export writes it: the stored fields and their health, what import takes back. */
export type ExportedSchedule = ScheduleJson & { health: ScheduleHealth };

/** A schedule as the API answers it: the exported fields and the schedule in words. */
export type ScheduleView = ExportedSchedule & { summary: string };

/** Renders a row with its health; never throws, whatever a raw SQL edit left in it. */
export function toExportedSchedule(row: Schedule): ExportedSchedule {
  return { ...toScheduleJson(row), health: checkStoredSchedule(row) };
}

/**
 * Renders a row with its health and its summary, the words the page and the CLI show (the
 * server says them, so every client says the same); never throws.
 */
export function toScheduleView(row: Schedule): ScheduleView {
  return { ...toExportedSchedule(row), summary: describeSchedule(row) };
}

/** The run summary in the API's JSON. */
export function toRunHealthJson(summary: ScheduleRunSummary): z.infer<typeof runHealthSchema> {
  return { ...summary, lastFireAt: summary.lastFireAt?.toISOString() ?? null };
}
