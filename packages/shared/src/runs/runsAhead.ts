import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow } from "../db/schema.js";
import { chunked } from "./ledgerChunks.js";

// A run recorded ahead is a `queued` scheduled run written before its instant, so that at the
// instant only the enqueue remains. It is told apart by its row alone (created before its
// nominal instant, never enqueued), so that a scheduler taking over after a crash finds those
// its predecessor left, and the sweeper leaves them to the leader: only the leader knows whether
// the schedule's latest definition still owes them.

/** SQL condition of a run recorded ahead of its instant and not yet enqueued. */
export const isRecordedAhead: SQL = sql`(${runs.kind} = 'schedule' AND ${runs.status} = 'queued'
  AND ${runs.enqueuedAt} IS NULL AND ${runs.createdAt} < ${runs.scheduledAt})`;

/** Every run recorded ahead and not yet enqueued (a leader taking over decides their fate). */
export async function findRunsAhead(db: Database): Promise<RunRow[]> {
  return db.select().from(runs).where(isRecordedAhead);
}

/**
 * Deletes runs recorded ahead that the schedule no longer owes (an edit, a pause, a delete or an
 * exclusion came before the instant). Only a row still `queued` and never enqueued goes: one a
 * worker claimed or a scheduler enqueued stays. Returns the ids deleted.
 */
export async function deleteRunsAhead(db: Database, runIds: readonly string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const chunk of chunked([...new Set(runIds)])) {
    const rows = await db
      .delete(runs)
      .where(
        and(
          sql`${runs.id} = ANY(${`{${chunk.join(",")}}`}::uuid[])`,
          eq(runs.status, "queued"),
          isNull(runs.enqueuedAt),
        ),
      )
      .returning({ id: runs.id });
    deleted.push(...rows.map((row) => row.id));
  }
  return deleted;
}
