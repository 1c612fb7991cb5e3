import { and, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow, type RunStatus } from "../db/schema.js";

/** Filters of {@link listRuns}; every one optional. */
export interface RunFilter {
  schedule?: string | undefined;
  status?: RunStatus | undefined;
  /** At most this many rows; 50 unless set. */
  limit?: number | undefined;
}

/** Task runs, newest first (by creation, then fire instant, so manual runs sort where they were made). */
export async function listRuns(db: Database, filter: RunFilter = {}): Promise<RunRow[]> {
  const conditions: SQL[] = [];
  if (filter.schedule !== undefined) conditions.push(eq(runs.scheduleName, filter.schedule));
  if (filter.status !== undefined) conditions.push(eq(runs.status, filter.status));
  return db
    .select()
    .from(runs)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(runs.createdAt), desc(runs.scheduledAt), desc(runs.id))
    .limit(filter.limit ?? 50);
}

/** How a schedule's fires have gone lately, for `GET /api/v1/schedules/:name`. */
export interface ScheduleRunSummary {
  /** The fire instant of the latest scheduled run, or null when it never fired. */
  lastFireAt: Date | null;
  /** That run's status. */
  lastOutcome: RunStatus | null;
  /** How late that run started (started_at - scheduled_at); null until it starts. */
  lastLatenessMs: number | null;
  /** Failed scheduled runs since the latest succeeded one. */
  consecutiveFailures: number;
}

const msOrNull = (value: number | string | null) => (value === null ? null : Number(value));

/** One query on the run ledger's (schedule, fire instant) index: the latest fire and the failures since success. */
export async function summarizeScheduleRuns(db: Database, scheduleName: string): Promise<ScheduleRunSummary> {
  const rows = await db.execute<{
    last_fire_ms: number | string | null;
    last_status: RunStatus | null;
    lateness_ms: number | string | null;
    consecutive_failures: number;
  }>(sql`
    SELECT
      (extract(epoch FROM l.scheduled_at) * 1000)::float8 AS last_fire_ms,
      l.status AS last_status,
      (extract(epoch FROM l.started_at - l.scheduled_at) * 1000)::float8 AS lateness_ms,
      (SELECT count(*)::int FROM ${runs} f
        WHERE f.schedule_name = ${scheduleName} AND f.kind = 'schedule' AND f.status = 'failed'
          AND f.scheduled_at > coalesce(
            (SELECT max(s.scheduled_at) FROM ${runs} s
              WHERE s.schedule_name = ${scheduleName} AND s.kind = 'schedule' AND s.status = 'succeeded'),
            '-infinity')) AS consecutive_failures
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT scheduled_at, started_at, status FROM ${runs}
      WHERE schedule_name = ${scheduleName} AND kind = 'schedule'
      ORDER BY scheduled_at DESC LIMIT 1
    ) AS l ON true`);
  const row = rows[0];
  const lastFireMs = msOrNull(row?.last_fire_ms ?? null);
  return {
    lastFireAt: lastFireMs === null ? null : new Date(lastFireMs),
    lastOutcome: row?.last_status ?? null,
    lastLatenessMs: msOrNull(row?.lateness_ms ?? null),
    consecutiveFailures: row?.consecutive_failures ?? 0,
  };
}

/** The scheduled run of (schedule, instant), if one is recorded. */
export async function findScheduledRun(
  db: Database,
  scheduleName: string,
  at: Date,
): Promise<RunRow | undefined> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.kind, "schedule"), eq(runs.scheduleName, scheduleName), eq(runs.scheduledAt, at)))
    .limit(1);
  return row;
}

/**
 * The scheduled runs of `scheduleName` at the given instants, by epoch ms: one query over the
 * span of the instants, through the (schedule, instant) index.
 */
export async function findScheduledRuns(
  db: Database,
  scheduleName: string,
  instants: readonly Date[],
): Promise<Map<number, RunRow>> {
  if (instants.length === 0) return new Map();
  const times = instants.map((at) => at.getTime());
  const wanted = new Set(times);
  const rows = await db
    .select()
    .from(runs)
    .where(
      and(
        eq(runs.kind, "schedule"),
        eq(runs.scheduleName, scheduleName),
        gte(runs.scheduledAt, new Date(Math.min(...times))),
        lte(runs.scheduledAt, new Date(Math.max(...times))),
      ),
    );
  return new Map(
    rows
      .filter((row) => wanted.has(row.scheduledAt.getTime()))
      .map((row) => [row.scheduledAt.getTime(), row]),
  );
}
