import { parseJsonWith } from "../support/parseJsonWith.js";
import { z } from "zod";

/**
 * The message on `schedule_updates`: which schedule changed, to which version, and how. hotbeat's
 * write path adds its deployment's Redis namespace and, for an upsert, the row as committed
 * (`carriedRow.ts`), which a scheduler of that namespace applies without reading it back.
 */
export const scheduleUpdateMessageSchema = z.strictObject({
  name: z.string().min(1),
  version: z.number().int().nonnegative(),
  op: z.enum(["upsert", "delete"]),
  namespace: z.string().optional(),
  row: z.record(z.string(), z.unknown()).optional(),
});
export type ScheduleUpdateMessage = z.infer<typeof scheduleUpdateMessageSchema>;

/** A scheduler's report that it now holds `version` of `name`, for read-your-writes. */
export const scheduleAppliedMessageSchema = z.strictObject({
  instanceId: z.string().min(1),
  name: z.string().min(1),
  version: z.number().int().nonnegative(),
  appliedAt: z.string(),
  latencyMs: z.number().nullable(),
});
export type ScheduleAppliedMessage = z.infer<typeof scheduleAppliedMessageSchema>;

/** Parses a raw channel message; returns undefined (never throws) for anything malformed. */
export function parseScheduleUpdate(raw: string): ScheduleUpdateMessage | undefined {
  return parseJsonWith(scheduleUpdateMessageSchema, raw);
}
