import { z } from "zod";

/**
 * What each live scheduler writes about itself to Redis every few seconds (with a TTL, so a dead
 * one disappears), read by `GET /api/v1/scheduler` and by `?wait=applied` to know whom to wait for.
 */
export const schedulerStatusSchema = z.object({
  instanceId: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  isLeader: z.boolean(),
  schedulesLoaded: z.number().int(),
  lastApplied: z
    .object({
      name: z.string(),
      version: z.number().int(),
      appliedAt: z.string(),
      latencyMs: z.number().nullable(),
    })
    .nullable(),
  startedAt: z.string(),
  heartbeatAt: z.string(),
});
export type SchedulerStatus = z.infer<typeof schedulerStatusSchema>;

/** How long a self-report lives without a heartbeat. */
export const SCHEDULER_STATUS_TTL_MS = 15_000;
