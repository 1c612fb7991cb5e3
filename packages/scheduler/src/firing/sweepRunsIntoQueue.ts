import type { Queue } from "bullmq";
import {
  dispatchRuns,
  findRunsToEnqueuePage,
  runJobId,
  type Database,
  type Logger,
  type RunRow,
} from "@hotbeat/shared";
import type { SchedulerEventEmitter } from "../schedulerEvents.js";

/**
 * Heals the gap between the ledger and the queue: a run recorded in PostgreSQL whose job never
 * reached BullMQ (a crash between the two steps, Redis down at that moment), or whose job is gone
 * (Redis restarted without persistence), is enqueued again under the same job id. Looks at one
 * page of candidates after `afterId` (see findRunsToEnqueuePage); returns the runs it enqueued
 * and where the next sweep starts (null: from the beginning again).
 */
export async function sweepRunsIntoQueue(
  db: Database,
  queue: Queue,
  olderThanMs: number,
  afterId: string | null = null,
  pageSize = 500,
): Promise<{ requeued: RunRow[]; nextAfterId: string | null }> {
  const candidates = await findRunsToEnqueuePage(db, olderThanMs, afterId, pageSize);
  const lost: RunRow[] = [];
  for (const run of candidates) {
    // A run already enqueued is normally still in BullMQ (waiting, active, or kept after it
    // finished); only a missing job means Redis lost it.
    if (run.enqueuedAt !== null && (await queue.getJob(runJobId(run.id)))) continue;
    lost.push(run);
  }
  const { enqueued: requeued } = await dispatchRuns({ db, queue }, lost);
  const nextAfterId = candidates.length < pageSize ? null : (candidates.at(-1)?.id ?? null);
  return { requeued, nextAfterId };
}

/** The leader's sweep, one page per round, remembering where the next round starts. */
export function createSweepRound(deps: {
  db: Database;
  queue: Queue;
  log: Logger;
  events: SchedulerEventEmitter;
  olderThanMs: number;
  pageSize?: number;
}): () => Promise<void> {
  let afterId: string | null = null;
  return async () => {
    const page = await sweepRunsIntoQueue(deps.db, deps.queue, deps.olderThanMs, afterId, deps.pageSize);
    afterId = page.nextAfterId;
    for (const run of page.requeued) {
      deps.log.warn(
        { schedule: run.scheduleName, runId: run.id },
        "run was recorded but not queued; enqueued it",
      );
      deps.events.emit("requeued", { runId: run.id });
    }
  };
}
