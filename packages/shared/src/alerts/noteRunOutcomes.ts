import { eq, inArray, sql } from "drizzle-orm";
import { scheduleAlertStates, schedules, type RunRow } from "../db/schema.js";
import type { AlertJobData } from "../messages/alertJob.js";
import { withTimeout } from "../support/withTimeout.js";
import { DEFAULT_ALERT_ENQUEUE_TIMEOUT_MS, type AlertDeps } from "./alertDeps.js";
import { resolveAlert, type ResolvedAlert } from "./alertSettings.js";
import { buildAlertJob, type AlertCause } from "./buildAlertJob.js";
import { decideOutcomeAlert, type OpenAlert } from "./decideOutcomeAlert.js";
import { enqueueAlert } from "./enqueueAlert.js";
import { loadLatestFinishedRuns } from "./loadLatestFinishedRuns.js";

interface Candidate {
  name: string;
  resolved: ResolvedAlert;
  createdAt: Date;
}

/** An alert row written before the schedule of that name was created belongs to a deleted one. */
function isOpenFor(openedAt: Date | null, createdAt: Date): boolean {
  return openedAt === null || openedAt >= createdAt;
}

/**
 * Decides one schedule's alert under the lock of its bookkeeping row, so that workers finishing
 * its runs at once decide one after the other: one of them raises the alert, the others see it
 * open. The alert is added to Redis before the commit: if that fails, nothing is recorded and the
 * next outcome decides again.
 */
async function decideForSchedule(deps: AlertDeps, candidate: Candidate): Promise<AlertJobData | null> {
  const { name, resolved } = candidate;
  const state = scheduleAlertStates;
  return deps.db.transaction(async (tx) => {
    // An upsert rather than SELECT … FOR UPDATE: it locks the row even when it has to create it.
    const [locked] = await tx
      .insert(state)
      .values({ scheduleName: name })
      .onConflictDoUpdate({ target: state.scheduleName, set: { updatedAt: sql`now()` } })
      .returning();
    const latest =
      (await loadLatestFinishedRuns(tx, [{ name, limit: resolved.afterFailures + 1 }])).get(name) ?? [];
    const open: OpenAlert =
      locked && isOpenFor(locked.openedAt, candidate.createdAt)
        ? { event: locked.openEvent, openedAt: locked.openedAt }
        : { event: null, openedAt: null };
    const decision = decideOutcomeAlert(open, latest, resolved.afterFailures);
    if (!decision) return null;
    const cause: AlertCause =
      decision.event === "failing"
        ? {
            event: "failing",
            schedule: name,
            at: decision.run.finishedAt,
            run: decision.run,
            consecutiveFailures: decision.consecutiveFailures,
            thresholdRunId: decision.thresholdRunId,
          }
        : { event: "recovered", schedule: name, at: decision.run.finishedAt, run: decision.run };
    const job = buildAlertJob(cause, resolved.target, deps.settings.apiUrl);
    await tx
      .update(state)
      .set(
        decision.event === "failing"
          ? { openEvent: "failing", openedAt: sql`now()`, lastAlertKey: job.key, updatedAt: sql`now()` }
          : { openEvent: null, openedAt: null, lastAlertKey: job.key, updatedAt: sql`now()` },
      )
      .where(eq(state.scheduleName, name));
    await withTimeout(
      enqueueAlert(deps.queue, job),
      deps.enqueueTimeoutMs ?? DEFAULT_ALERT_ENQUEUE_TIMEOUT_MS,
      `enqueue alert ${job.key}`,
    );
    return job;
  });
}

/**
 * Raises the `failing` and `recovered` alerts that runs just finished call for (see
 * {@link decideOutcomeAlert}). Only scheduled runs count, as in the schedule's `runHealth`; runs
 * triggered by hand do not. One query finds the schedules that have a target (a success with no
 * alert open, the usual case, ends there), a second reads their latest runs; only a schedule whose
 * runs call for an alert is decided again, under its lock. A schedule whose decision fails is
 * logged and left to its next outcome.
 *
 * @returns the alerts raised
 */
export async function noteRunOutcomes(deps: AlertDeps, finished: readonly RunRow[]): Promise<AlertJobData[]> {
  const hasFailure = new Map<string, boolean>();
  for (const run of finished) {
    if (run.kind !== "schedule" || (run.status !== "succeeded" && run.status !== "failed")) continue;
    hasFailure.set(run.scheduleName, (hasFailure.get(run.scheduleName) ?? false) || run.status === "failed");
  }
  if (hasFailure.size === 0) return [];
  const rows = await deps.db
    .select({
      name: schedules.name,
      alert: schedules.alert,
      createdAt: schedules.createdAt,
      openEvent: scheduleAlertStates.openEvent,
      openedAt: scheduleAlertStates.openedAt,
    })
    .from(schedules)
    .leftJoin(scheduleAlertStates, eq(scheduleAlertStates.scheduleName, schedules.name))
    .where(inArray(schedules.name, [...hasFailure.keys()]));
  const candidates: Array<Candidate & { open: OpenAlert }> = [];
  for (const row of rows) {
    try {
      const resolved = resolveAlert(row.name, row.alert, deps.settings);
      if (!resolved) continue;
      const isOpen = row.openEvent !== null && isOpenFor(row.openedAt, row.createdAt);
      if (!hasFailure.get(row.name) && !isOpen) continue;
      const open = isOpen
        ? { event: row.openEvent, openedAt: row.openedAt }
        : { event: null, openedAt: null };
      candidates.push({ name: row.name, resolved, createdAt: row.createdAt, open });
    } catch (error) {
      deps.log.warn(
        { err: error, schedule: row.name },
        "alert not decided: the schedule's alert is unreadable",
      );
    }
  }
  // A first look without locks: most failures (below the threshold, or with a failing alert
  // open) call for nothing, and are settled by this one statement for the whole batch.
  const latest = await loadLatestFinishedRuns(
    deps.db,
    candidates.map(({ name, resolved }) => ({ name, limit: resolved.afterFailures + 1 })),
  );
  const raised: AlertJobData[] = [];
  for (const candidate of candidates) {
    const runsOf = latest.get(candidate.name) ?? [];
    if (!decideOutcomeAlert(candidate.open, runsOf, candidate.resolved.afterFailures)) continue;
    try {
      const job = await decideForSchedule(deps, candidate);
      if (job) raised.push(job);
    } catch (error) {
      deps.log.warn(
        { err: error, schedule: candidate.name },
        "alert not decided; the next outcome decides again",
      );
    }
  }
  return raised;
}
