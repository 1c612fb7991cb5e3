import { sql } from "drizzle-orm";
import { scheduleAlertStates } from "../db/schema.js";
import type { AlertJobData } from "../messages/alertJob.js";
import { withTimeout } from "../support/withTimeout.js";
import { DEFAULT_ALERT_ENQUEUE_TIMEOUT_MS, type AlertDeps } from "./alertDeps.js";
import { resolveAlert } from "./alertSettings.js";
import { buildAlertJob } from "./buildAlertJob.js";
import { enqueueAlert } from "./enqueueAlert.js";

/**
 * Raises one `missed` alert for the instants of one schedule that one wake recorded as missed
 * (the misfire policy after a downtime, a cap), however many they are, and opens the schedule's
 * wait for a recovery alert unless one is open already. Its key is named by the first missed
 * instant, which a retried plan or another scheduler taking over computes the same, so it is
 * sent once. Returns the alert, or null when nobody is to be alerted.
 */
export async function noteMissedFires(
  deps: AlertDeps,
  schedule: { name: string; alert: unknown },
  missed: ReadonlyArray<{ at: Date; reason: string }>,
  now: Date,
): Promise<AlertJobData | null> {
  if (missed.length === 0) return null;
  const resolved = resolveAlert(schedule.name, schedule.alert, deps.settings);
  if (!resolved) return null;
  const job = buildAlertJob(
    { event: "missed", schedule: schedule.name, at: now, missed },
    resolved.target,
    deps.settings.apiUrl,
  );
  const state = scheduleAlertStates;
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(state)
      .values({
        scheduleName: schedule.name,
        openEvent: "missed",
        openedAt: sql`now()`,
        lastAlertKey: job.key,
      })
      .onConflictDoUpdate({
        target: state.scheduleName,
        set: {
          // A failing alert that is open stays the one the recovery answers.
          openEvent: sql`COALESCE(${state.openEvent}, 'missed')`,
          openedAt: sql`CASE WHEN ${state.openEvent} IS NULL THEN now() ELSE ${state.openedAt} END`,
          lastAlertKey: job.key,
          updatedAt: sql`now()`,
        },
      });
    await withTimeout(
      enqueueAlert(deps.queue, job),
      deps.enqueueTimeoutMs ?? DEFAULT_ALERT_ENQUEUE_TIMEOUT_MS,
      `enqueue alert ${job.key}`,
    );
  });
  return job;
}
