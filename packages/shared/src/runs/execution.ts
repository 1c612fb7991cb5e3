import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow, type RunStatus } from "../db/schema.js";
import { toStorableJson, toStorableText } from "./storable.js";

/** Statuses a run never leaves: a job that reappears for such a run must not execute it again. */
export const FINISHED_RUN_STATUSES = [
  "succeeded",
  "failed",
  "skipped",
  "missed",
] as const satisfies readonly RunStatus[];

/** Longest error text stored on a run; a stack trace or an HTML error page is cut here. */
export const MAX_RUN_ERROR_LENGTH = 4000;

const notFinished = (runId: string) =>
  and(eq(runs.id, runId), notInArray(runs.status, [...FINISHED_RUN_STATUSES]));

/**
 * A condition that is always true and makes the statement's own transaction commit without
 * waiting for its WAL to reach the disk (`synchronous_commit = off` for that transaction only;
 * the session's setting is back once it ends). A claim needs no more: what keeps a finished run
 * from running again is the finish, which commits durably, and its flush carries every earlier
 * claim of the WAL with it. A crash of PostgreSQL itself can lose only a claim whose run has not
 * finished, which then reads `queued` again with its previous attempt while the task runs, and the
 * finish still lands on it. The flush is often most of a claim's time (6 ms of 7 on the
 * benchmark's disk), and a task waits for its claim. Inside an explicit transaction it would make
 * that whole commit asynchronous: claims are single statements.
 */
export const commitWithoutFlush = sql`set_config('synchronous_commit', 'off', true) IS NOT NULL`;

/** Cut and rewritten so that PostgreSQL accepts it whatever it holds (see storable.ts). */
function truncateError(error: string): string {
  return toStorableText(error, MAX_RUN_ERROR_LENGTH);
}

/**
 * Moves a run to `running` for one execution, unless it is already finished. This single
 * conditional UPDATE is what keeps a job that reappears (a stalled job, a run enqueued again after
 * Redis lost it) from executing a finished run twice. A `running` run can be claimed again: that
 * is how a run whose worker died gets its retry.
 *
 * `attempt` is the caller's idea of the attempt number (BullMQ's attemptsMade + 1). The stored
 * attempt is the larger of it and one more than the stored one, so every claim counts, including
 * re-runs after a stall that BullMQ does not count as attempts, and the number never goes back
 * (short of a crash of PostgreSQL: see {@link commitWithoutFlush}).
 *
 * @returns the claimed run, or null when the run is finished or does not exist
 */
export async function claimRun(db: Database, runId: string, attempt: number): Promise<RunRow | null> {
  const [row] = await db
    .update(runs)
    .set({
      status: "running",
      attempt: sql`GREATEST(${runs.attempt} + 1, ${attempt})`,
      startedAt: sql`now()`,
      finishedAt: null,
    })
    .where(and(notFinished(runId), commitWithoutFlush))
    .returning();
  return row ?? null;
}

/** The outcome of an execution, as {@link finishRun} records it. */
export interface RunOutcome {
  status: "succeeded" | "failed";
  /**
   * What the handler returned; must be JSON-serialisable. NULs and lone surrogates, which
   * PostgreSQL refuses in jsonb, are rewritten and the result wrapped with a note saying so.
   */
  result?: unknown;
  error?: string;
}

/**
 * Records the final outcome of a run. Only an unfinished run is updated, so that when two
 * executions of one run race (a worker presumed dead that was only slow), the first to finish wins.
 *
 * @returns the finished run, or null when it was already finished or does not exist
 */
export async function finishRun(db: Database, runId: string, outcome: RunOutcome): Promise<RunRow | null> {
  const [row] = await db
    .update(runs)
    .set({
      status: outcome.status,
      finishedAt: sql`now()`,
      result: outcome.result === undefined ? null : toStorableJson(outcome.result),
      error: outcome.error === undefined ? null : truncateError(outcome.error),
    })
    .where(notFinished(runId))
    .returning();
  return row ?? null;
}

/**
 * Records a failed attempt. When a retry follows, the run goes back to `queued` with the error of
 * this attempt, so that the runs list shows why it is waiting; otherwise it is `failed` for good.
 *
 * @returns the updated run, or null when it was already finished or does not exist
 */
export async function recordAttemptFailure(
  db: Database,
  runId: string,
  error: string,
  willRetry: boolean,
): Promise<RunRow | null> {
  if (!willRetry) return finishRun(db, runId, { status: "failed", error });
  const [row] = await db
    .update(runs)
    .set({ status: "queued", error: truncateError(error) })
    .where(notFinished(runId))
    .returning();
  return row ?? null;
}
