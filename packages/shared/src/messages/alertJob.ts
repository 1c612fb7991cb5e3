import { z } from "zod";
import { ALERT_EVENTS } from "../db/enums.js";

const instant = z.iso.datetime({ offset: true });

/** Where an alert goes: a webhook, or a task registered in a worker that gets the alert as its payload. */
export const alertTargetSchema = z.union([
  z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
  z.strictObject({ task: z.string().min(1) }),
]);
export type AlertTarget = z.infer<typeof alertTargetSchema>;

/** The JSON an alert target receives (README, "Alerts"). */
export const alertBodySchema = z.strictObject({
  event: z.enum(ALERT_EVENTS),
  schedule: z.string().min(1),
  /** When the alert was raised. */
  at: instant,
  /** The run that failed (the latest of the streak) or succeeded. */
  runId: z.uuid().optional(),
  consecutiveFailures: z.number().int().min(1).optional(),
  missedCount: z.number().int().min(1).optional(),
  firstMissedAt: instant.optional(),
  lastMissedAt: instant.optional(),
  /** The failed run's error, or why the fires were missed. */
  error: z.string().optional(),
  /** The schedule's runs in the API. */
  url: z.string().optional(),
});
export type AlertBody = z.infer<typeof alertBodySchema>;

/**
 * The data of a BullMQ alert job. Its job id is `key`, which is also the `Idempotency-Key` the
 * target receives: the same alert raised twice (a retried plan, a second scheduler, a worker
 * that noted a run twice) is one job, delivered once.
 */
export const alertJobDataSchema = z.strictObject({
  key: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[^:]+$/, "must not contain ':', which BullMQ forbids in job ids"),
  target: alertTargetSchema,
  body: alertBodySchema,
});
export type AlertJobData = z.infer<typeof alertJobDataSchema>;
