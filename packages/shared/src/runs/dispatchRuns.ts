import type { Queue } from "bullmq";
import type { Database } from "../db/client.js";
import type { RunRow } from "../db/schema.js";
import { withTimeout } from "../support/withTimeout.js";
import { enqueueRuns } from "./enqueue.js";
import { markEnqueuedMany } from "./markEnqueued.js";
import { recordRun, recordRuns, type FireToRecord } from "./recordRuns.js";

/** A run still to be recorded: a scheduled fire, or a manual run. */
export interface RunSpec extends FireToRecord {
  /** A `schedule` run is unique per (schedule, nominal instant); a `manual` one never conflicts. */
  kind: "schedule" | "manual";
}

/** What {@link dispatchRuns} takes: runs to record, or runs already recorded to (re)enqueue. */
export type RunToDispatch = RunSpec | RunRow;

export interface DispatchDeps {
  db: Database;
  queue: Queue;
  /**
   * For a caller that must answer in time (an HTTP request). BullMQ waits for its connection
   * without limit, so with Redis away an unbounded add would hang. With this set, an enqueue that
   * fails or takes longer than `timeoutMs` leaves the recorded runs unmarked, for the sweeper, and
   * is returned as `enqueueError` instead of thrown. The add may still settle later (the job id
   * makes that harmless); a late failure goes to `onLateError`.
   */
  enqueueBound?: { timeoutMs: number; onLateError: (error: unknown) => void };
  /**
   * Called once the jobs are in BullMQ, before the mark: what waits on a fire (an event, a
   * lateness metric) need not also wait for the UPDATE that only tells the sweeper.
   */
  onEnqueued?: (result: DispatchResult) => void;
}

export interface DispatchResult {
  /** Per input, in input order: its run, and whether this call recorded it. */
  recorded: Array<{ run: RunRow; isNew: boolean }>;
  /** The runs this call added to the queue and marked enqueued. */
  enqueued: RunRow[];
  /** Why the enqueue step gave up (only with `enqueueBound`); the runs are left to the sweeper. */
  enqueueError?: unknown;
  /**
   * The ids of the enqueued runs the mark found no longer `queued`: claimed already, finished,
   * skipped by hand or deleted since the caller read them. Their job is harmless (a worker only
   * claims a run still unfinished); a caller that passed rows it read earlier looks again.
   */
  notMarked?: Set<string>;
}

const isRecorded = (item: RunToDispatch): item is RunRow => "id" in item;

/**
 * Records runs, adds their jobs to BullMQ and marks them enqueued, in this order, which is what
 * makes a crash at any point safe:
 * - **record first**: the row in PostgreSQL is the run. For a scheduled fire the unique key on
 *   (schedule, nominal instant) decides, across replicas and restarts, that it runs once; a job
 *   is never queued for a run that does not exist.
 * - **enqueue** under the run id as job id: adding the same run again (a retry, the sweeper,
 *   another scheduler) is a no-op. A crash before this leaves a recorded, unmarked row, which
 *   the sweeper enqueues.
 * - **mark** `enqueued_at` last: a crash between enqueue and mark only makes the sweeper look at
 *   the run again and add it again, harmlessly.
 *
 * A spec is recorded (scheduled fires in a few statements whatever their number); a row already
 * recorded is only enqueued. Enqueued are the rows given, and every recorded `queued` run not yet
 * marked: one found already recorded but never enqueued (its recorder crashed in between) is
 * enqueued at once rather than waiting for the sweeper. `missed` and `skipped` runs are final at
 * birth and never enqueued. Throws if a statement or (without `enqueueBound`) the enqueue fails;
 * dispatching the same specs again is then safe.
 */
export async function dispatchRuns(
  deps: DispatchDeps,
  items: readonly RunToDispatch[],
): Promise<DispatchResult> {
  const recorded = await recordSpecs(deps.db, items);
  const toEnqueue = new Map<string, RunRow>();
  items.forEach((item, i) => {
    const { run } = recorded[i]!;
    if (isRecorded(item) || (run.status === "queued" && run.enqueuedAt === null)) toEnqueue.set(run.id, run);
  });
  if (toEnqueue.size === 0) return { recorded, enqueued: [] };
  const enqueued = [...toEnqueue.values()];
  const adding = enqueueRuns(deps.queue, enqueued);
  if (deps.enqueueBound === undefined) await adding;
  else {
    try {
      await withTimeout(adding, deps.enqueueBound.timeoutMs, "enqueueing the runs");
    } catch (error) {
      adding.catch(deps.enqueueBound.onLateError);
      return { recorded, enqueued: [], enqueueError: error };
    }
  }
  deps.onEnqueued?.({ recorded, enqueued });
  const marked = new Set(await markEnqueuedMany(deps.db, [...toEnqueue.keys()]));
  const notMarked = new Set([...toEnqueue.keys()].filter((id) => !marked.has(id)));
  return { recorded, enqueued, ...(notMarked.size > 0 ? { notMarked } : {}) };
}

/** Records the specs among `items` (rows already recorded pass through), in input order. */
async function recordSpecs(
  db: Database,
  items: readonly RunToDispatch[],
): Promise<Array<{ run: RunRow; isNew: boolean }>> {
  const result: Array<{ run: RunRow; isNew: boolean } | undefined> = items.map((item) =>
    isRecorded(item) ? { run: item, isNew: false } : undefined,
  );
  const scheduled: Array<{ index: number; spec: RunSpec }> = [];
  for (const [index, item] of items.entries()) {
    if (isRecorded(item)) continue;
    if (item.kind === "schedule") scheduled.push({ index, spec: item });
    else result[index] = await recordRun(db, item);
  }
  if (scheduled.length > 0) {
    const rows = await recordRuns(
      db,
      scheduled.map(({ spec }) => spec),
    );
    scheduled.forEach(({ index }, i) => (result[index] = rows[i]!));
  }
  return result.map((entry) => entry!);
}
