import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs } from "../db/schema.js";
import type { FinishedRun } from "./decideOutcomeAlert.js";

/** A transaction or the pool: both run a statement. */
type Executor = Pick<Database, "execute">;

/**
 * The latest finished (succeeded or failed) scheduled runs of each schedule, newest fire first, at
 * most `limit` each, in one statement: each schedule is one backward walk of the run ledger's
 * (schedule, fire instant) index.
 */
export async function loadLatestFinishedRuns(
  db: Executor,
  wanted: ReadonlyArray<{ name: string; limit: number }>,
): Promise<Map<string, FinishedRun[]>> {
  const latest = new Map<string, FinishedRun[]>(wanted.map(({ name }) => [name, []]));
  if (wanted.length === 0) return latest;
  const list = sql.join(
    wanted.map(({ name, limit }) => sql`(${name}::text, ${limit}::int)`),
    sql`, `,
  );
  const rows = await db.execute<{
    name: string;
    id: string;
    status: string;
    error: string | null;
    finished_ms: number | string | null;
  }>(sql`
    SELECT w.name, r.id, r.status, r.error, (extract(epoch FROM r.finished_at) * 1000)::float8 AS finished_ms
    FROM (VALUES ${list}) AS w(name, lim)
    CROSS JOIN LATERAL (
      SELECT id, status, error, finished_at, scheduled_at FROM ${runs}
      WHERE schedule_name = w.name AND kind = 'schedule' AND status IN ('succeeded', 'failed')
      ORDER BY scheduled_at DESC LIMIT w.lim
    ) AS r
    ORDER BY w.name, r.scheduled_at DESC`);
  for (const row of rows) {
    latest.get(row.name)?.push({
      id: row.id,
      status: row.status === "succeeded" ? "succeeded" : "failed",
      error: row.error,
      finishedAt: new Date(Number(row.finished_ms ?? 0)),
    });
  }
  return latest;
}
