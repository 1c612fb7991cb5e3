import { and, asc, inArray, isNull, lt, not, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow } from "../db/schema.js";
import { isRecordedAhead } from "./runsAhead.js";

/**
 * One page of the sweeper's candidates, in id order after `afterId`: queued runs that never
 * reached the queue (`enqueued_at` null) or that were enqueued long enough ago that their job may
 * have vanished from Redis (the caller checks the queue before enqueueing those again), and
 * running ones, whose job Redis may have lost mid-task. `olderThanMs` leaves alone the runs a
 * scheduler is enqueueing right now; a run recorded ahead of its instant is the leader's to
 * enqueue or delete (see runsAhead), never the sweeper's, since it may no longer be owed. The
 * sweeper moves `afterId` on page by page and starts over after a short page, so every candidate is visited over successive sweeps: old healthy runs (enqueued, job present)
 * can never fill every page and starve the healing of a lost one. Keyed by id alone because
 * `created_at` is shared by every row of one statement and has more precision than a JS Date.
 */
export async function findRunsToEnqueuePage(
  db: Database,
  olderThanMs: number,
  afterId: string | null,
  limit = 500,
): Promise<RunRow[]> {
  const bound = sql`now() - make_interval(secs => ${olderThanMs / 1000})`;
  return db
    .select()
    .from(runs)
    .where(
      and(
        inArray(runs.status, ["queued", "running"]),
        or(
          and(isNull(runs.enqueuedAt), lt(runs.createdAt, bound), not(isRecordedAhead)),
          lt(runs.enqueuedAt, bound),
        ),
        afterId === null ? undefined : sql`${runs.id} > ${afterId}::uuid`,
      ),
    )
    .orderBy(asc(runs.id))
    .limit(limit);
}
