import type { OpenAlertEvent } from "../db/enums.js";

/** A finished scheduled run, as the decision needs it. */
export interface FinishedRun {
  id: string;
  status: "succeeded" | "failed";
  error: string | null;
  finishedAt: Date;
}

/** A schedule's alert bookkeeping: the alert waiting for a recovery, if any, and since when. */
export interface OpenAlert {
  event: OpenAlertEvent | null;
  openedAt: Date | null;
}

/** The alert that a schedule's latest outcomes call for. */
export type OutcomeAlert =
  | { event: "failing"; run: FinishedRun; consecutiveFailures: number; thresholdRunId: string }
  | { event: "recovered"; run: FinishedRun };

/**
 * Decides from a schedule's latest finished runs (newest fire first, at least `afterFailures + 1`
 * of them when it has that many) whether to alert:
 * - `failing` when the latest `afterFailures` runs or more all failed and no failing alert is
 *   open: once per streak, so the run after the N-th failure is silent. Counting from the ledger
 *   rather than a counter means a failure noted late, or not at all, is caught up at the next run.
 * - `recovered` when the latest run succeeded, after the open alert was raised.
 * A streak that began before the alert opened still counts; a success older than it does not.
 */
export function decideOutcomeAlert(
  open: OpenAlert,
  latest: readonly FinishedRun[],
  afterFailures: number,
): OutcomeAlert | null {
  const newest = latest[0];
  if (!newest) return null;
  if (newest.status === "succeeded") {
    if (open.event === null) return null;
    if (open.openedAt !== null && newest.finishedAt < open.openedAt) return null;
    return { event: "recovered", run: newest };
  }
  const firstNotFailed = latest.findIndex((run) => run.status !== "failed");
  const streak = firstNotFailed === -1 ? latest.length : firstNotFailed;
  if (streak < afterFailures || open.event === "failing") return null;
  // The N-th failure counted from the streak's start: the same run whoever decides, and whenever.
  const thresholdRun = latest[streak - afterFailures] ?? newest;
  return { event: "failing", run: newest, consecutiveFailures: streak, thresholdRunId: thresholdRun.id };
}
