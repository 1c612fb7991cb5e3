import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs } from "../db/schema.js";
import { commitWithoutFlush } from "./execution.js";
import { chunked } from "./ledgerChunks.js";

// A mark commits without waiting for its WAL flush (see commitWithoutFlush): one lost in a crash
// of PostgreSQL only makes the sweeper add the job again, which its id makes a no-op. Flushed, it
// held the rows it marks for the flush's milliseconds, and a worker claiming one of those runs
// (the job is in the queue by then) waited for it before the task could start.

/** Notes that a run's job reached BullMQ (again, after a heal), so the sweeper leaves it alone for a while. */
export async function markEnqueued(db: Database, runId: string): Promise<void> {
  await db
    .update(runs)
    .set({ enqueuedAt: sql`now()` })
    .where(and(eq(runs.id, runId), eq(runs.status, "queued"), commitWithoutFlush));
}

/**
 * {@link markEnqueued} for many runs: one UPDATE per chunk, the ids bound as one array parameter
 * (one parameter per id cost more to build and send than the update itself). Returns the ids
 * marked: a run no longer `queued` (claimed, finished, skipped by hand, or gone) is not.
 */
export async function markEnqueuedMany(db: Database, runIds: readonly string[]): Promise<string[]> {
  const marked: string[] = [];
  for (const chunk of chunked([...new Set(runIds)])) {
    const rows = await db
      .update(runs)
      .set({ enqueuedAt: sql`now()` })
      .where(
        and(
          sql`${runs.id} = ANY(${`{${chunk.join(",")}}`}::uuid[])`,
          eq(runs.status, "queued"),
          commitWithoutFlush,
        ),
      )
      .returning({ id: runs.id });
    marked.push(...rows.map((row) => row.id));
  }
  return marked;
}
