import type { JobsOptions, Queue } from "bullmq";
import type { AlertJobData } from "../messages/alertJob.js";
import { ALERT_JOB_NAME } from "../messages/names.js";

/**
 * Options of every alert job. BullMQ retries a delivery by itself, 10 attempts from 1 s doubling
 * (about 8.5 minutes in all), then gives up: a target that keeps failing is logged and counted,
 * never retried forever. Jobs are kept a week after they end, and with them their ids: the same
 * alert raised again within that week is not sent again.
 */
export const ALERT_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 7 * 86_400 },
} as const satisfies JobsOptions;

/** Adds an alert's delivery to the alerts queue; its job id is the alert's key, so a second add is a no-op. */
export async function enqueueAlert(queue: Queue, job: AlertJobData): Promise<void> {
  await queue.add(ALERT_JOB_NAME, job, { ...ALERT_JOB_OPTIONS, jobId: job.key });
}
