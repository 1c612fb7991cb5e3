import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs } from "../db/schema.js";
import type { RunKind, RunStatus } from "../db/enums.js";

/** The latest run of a schedule, as the list shows it beside the schedule. */
export interface LastRun {
  id: string;
  kind: RunKind;
  status: RunStatus;
  scheduledAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const toDate = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)));

/**
 * The latest run of each named schedule, in one query: for each name, the first run of the run
 * list's own order (newest created, then latest instant), so the column shows what the runs view
 * shows first. One probe of the (schedule_name, created_at) index per name, however many runs a
 * schedule has. Runs whose instant is still ahead (a skip recorded by hand for a coming fire) are
 * not a last run.
 */
export async function loadLastRuns(
  db: Database,
  names: readonly string[],
  now: Date,
): Promise<Map<string, LastRun>> {
  if (names.length === 0) return new Map();
  const wanted = [...new Set(names)];
  const rows = await db.execute<{
    schedule_name: string;
    id: string;
    kind: RunKind;
    status: RunStatus;
    scheduled_ms: number | string;
    started_ms: number | string | null;
    finished_ms: number | string | null;
  }>(sql`
    SELECT l.schedule_name, l.id, l.kind, l.status,
      (extract(epoch FROM l.scheduled_at) * 1000)::float8 AS scheduled_ms,
      (extract(epoch FROM l.started_at) * 1000)::float8 AS started_ms,
      (extract(epoch FROM l.finished_at) * 1000)::float8 AS finished_ms
    FROM unnest(ARRAY[${sql.join(
      wanted.map((name) => sql`${name}`),
      sql`, `,
    )}]::text[]) AS wanted(name)
    CROSS JOIN LATERAL (
      SELECT r.schedule_name, r.id, r.kind, r.status, r.scheduled_at, r.started_at, r.finished_at
      FROM ${runs} r
      WHERE r.schedule_name = wanted.name AND r.scheduled_at <= ${now.toISOString()}::timestamptz
      ORDER BY r.created_at DESC, r.scheduled_at DESC, r.id DESC
      LIMIT 1
    ) AS l`);
  return new Map(
    rows.map((row) => [
      row.schedule_name,
      {
        id: row.id,
        kind: row.kind,
        status: row.status,
        scheduledAt: new Date(Number(row.scheduled_ms)),
        startedAt: toDate(row.started_ms),
        finishedAt: toDate(row.finished_ms),
      },
    ]),
  );
}
