import { RUN_STATUSES, type RunRow } from "@hotbeat/shared";
import { z } from "zod";

/** A task run as the API shows it. */
export const runJsonSchema = z
  .object({
    id: z.string().describe("also the idempotency key tasks and webhook receivers see"),
    schedule: z.string(),
    task: z.string(),
    kind: z.enum(["schedule", "manual"]),
    scheduledAt: z.string(),
    scheduleVersion: z.number().int(),
    status: z.enum(RUN_STATUSES),
    attempt: z.number().int(),
    createdAt: z.string(),
    enqueuedAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
    result: z.unknown(),
  })
  .meta({ id: "Run" });

export { RUN_STATUSES };

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Renders a run row as the API's JSON. */
export function toRunJson(run: RunRow): z.infer<typeof runJsonSchema> {
  return {
    id: run.id,
    schedule: run.scheduleName,
    task: run.task,
    kind: run.kind,
    scheduledAt: run.scheduledAt.toISOString(),
    scheduleVersion: run.scheduleVersion,
    status: run.status,
    attempt: run.attempt,
    createdAt: run.createdAt.toISOString(),
    enqueuedAt: iso(run.enqueuedAt),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    error: run.error,
    result: run.result,
  };
}
