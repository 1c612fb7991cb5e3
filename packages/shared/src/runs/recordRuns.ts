import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow } from "../db/schema.js";
import type { Schedule } from "../schedules/model.js";
import { chunked } from "./ledgerChunks.js";

/** What {@link recordRun} needs to know about one run. */
export interface RecordRunInput {
  schedule: Schedule;
  /** The nominal fire instant (never the jittered one): it is the run's identity. */
  scheduledAt: Date;
  kind: "schedule" | "manual";
  /** `skipped` and `missed` are final at birth: they are recorded, never enqueued. */
  status?: "queued" | "missed" | "skipped";
  /** Why a `missed` or `skipped` run did not run, kept in the run's `error`. */
  reason?: string;
}

/**
 * Records one run in the ledger. For `kind: "schedule"` the partial unique index on
 * (schedule_name, scheduled_at) decides who wins when several schedulers (or a restart) try the
 * same fire: the loser gets the existing row and `isNew: false`, and must not enqueue it again
 * (the sweeper heals a row that never reached the queue). Manual runs never conflict.
 */
export async function recordRun(
  db: Database,
  input: RecordRunInput,
): Promise<{ run: RunRow; isNew: boolean }> {
  const status = input.status ?? "queued";
  const isFinal = status !== "queued";
  const values = {
    scheduleName: input.schedule.name,
    task: input.schedule.task,
    kind: input.kind,
    scheduledAt: input.scheduledAt,
    payload: input.schedule.payload ?? {},
    scheduleVersion: input.schedule.version,
    status,
    error: input.reason ?? null,
    ...(isFinal ? { finishedAt: new Date() } : {}),
  };
  if (input.kind === "manual") {
    const [run] = await db.insert(runs).values(values).returning();
    return { run: run!, isNew: true };
  }
  const [inserted] = await db
    .insert(runs)
    .values(values)
    .onConflictDoNothing({ target: [runs.scheduleName, runs.scheduledAt], where: sql`kind = 'schedule'` })
    .returning();
  if (inserted) return { run: inserted, isNew: true };
  const [existing] = await db
    .select()
    .from(runs)
    .where(
      and(
        eq(runs.scheduleName, input.schedule.name),
        eq(runs.scheduledAt, input.scheduledAt),
        eq(runs.kind, "schedule"),
      ),
    )
    .limit(1);
  if (!existing) {
    // Only possible if the winning row was deleted between the two statements; retrying is right.
    return recordRun(db, input);
  }
  return { run: existing, isNew: false };
}

/** One scheduled fire for {@link recordRuns}. */
export interface FireToRecord {
  schedule: Schedule;
  /** The nominal fire instant: the run's identity. */
  scheduledAt: Date;
  status: "queued" | "missed" | "skipped";
  /** Why a `missed` or `skipped` fire did not run, kept in the run's `error`. */
  reason?: string;
}

const fireKey = (name: string, at: Date) => `${name}\u0000${at.getTime()}`;

/** The first of each fire (one INSERT … ON CONFLICT may not insert the same key twice). */
function dedupe(fires: readonly FireToRecord[]): FireToRecord[] {
  const seen = new Set<string>();
  return fires.filter((fire) => {
    const key = fireKey(fire.schedule.name, fire.scheduledAt);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One fire as the JSON row {@link insertFires} hands PostgreSQL. */
interface FireJson {
  n: string;
  a: string;
  t: string;
  p: unknown;
  v: number;
  s: string;
  e: string | null;
}

/**
 * Inserts one chunk of fires, those already recorded left alone, and returns the new rows. The
 * rows travel as one JSON parameter read by `jsonb_to_recordset`: binding eight parameters per
 * row made building and sending the statement cost more than PostgreSQL's work (about 1 s for
 * 10k fires against 0.2 s). New rows are completed from what was inserted, which TypeScript
 * checks against `RunRow`: a column added to `runs` fails the build here instead of going missing.
 */
async function insertFires(
  db: Database,
  fires: readonly FireToRecord[],
  finishedAt: Date,
): Promise<RunRow[]> {
  const json: FireJson[] = fires.map((fire) => ({
    n: fire.schedule.name,
    a: fire.scheduledAt.toISOString(),
    t: fire.schedule.task,
    p: fire.schedule.payload ?? {},
    v: fire.schedule.version,
    s: fire.status,
    e: fire.reason ?? null,
  }));
  const finishedAtIso = finishedAt.toISOString();
  const inserted = await db.execute<{
    id: string;
    name: string;
    at_ms: number;
    created_ms: number;
  }>(sql`insert into "runs" (schedule_name, task, kind, scheduled_at, payload, schedule_version, status, finished_at, error)
    SELECT f.n, f.t, 'schedule', f.a, f.p, f.v, f.s,
           CASE WHEN f.s = 'queued' THEN NULL ELSE ${finishedAtIso}::timestamptz END, f.e
    FROM jsonb_to_recordset(${JSON.stringify(json)}::jsonb)
      AS f(n text, a timestamptz, t text, p jsonb, v integer, s text, e text)
    ON CONFLICT (schedule_name, scheduled_at) WHERE kind = 'schedule' DO NOTHING
    RETURNING id, schedule_name AS name, round(extract(epoch FROM scheduled_at) * 1000)::float8 AS at_ms,
              floor(extract(epoch FROM created_at) * 1000)::float8 AS created_ms`);
  const fireByKey = new Map(fires.map((fire) => [fireKey(fire.schedule.name, fire.scheduledAt), fire]));
  return [...inserted].map((row) => {
    const fire = fireByKey.get(fireKey(row.name, new Date(row.at_ms)))!;
    const isQueued = fire.status === "queued";
    const run: RunRow = {
      id: row.id,
      scheduleName: fire.schedule.name,
      task: fire.schedule.task,
      kind: "schedule",
      scheduledAt: fire.scheduledAt,
      payload: fire.schedule.payload ?? {},
      scheduleVersion: fire.schedule.version,
      status: fire.status,
      attempt: 0,
      createdAt: new Date(row.created_ms),
      enqueuedAt: null,
      startedAt: null,
      finishedAt: isQueued ? null : finishedAt,
      error: fire.reason ?? null,
      result: null,
    };
    return run;
  });
}

/**
 * {@link recordRun} for many `kind: "schedule"` fires at once: one multi-row INSERT … ON CONFLICT
 * DO NOTHING per chunk, then one SELECT per chunk for the fires that were already recorded.
 * Returns `{ run, isNew }` per input, in input order. The same fire given twice is recorded once:
 * its first occurrence may be new, the later ones never are.
 */
export async function recordRuns(
  db: Database,
  fires: readonly FireToRecord[],
): Promise<Array<{ run: RunRow; isNew: boolean }>> {
  const rowByKey = new Map<string, RunRow>();
  const newKeys = new Set<string>();
  const finishedAt = new Date();
  for (const chunk of chunked(fires)) {
    for (const row of await insertFires(db, dedupe(chunk), finishedAt)) {
      const key = fireKey(row.scheduleName, row.scheduledAt);
      rowByKey.set(key, row);
      newKeys.add(key);
    }
  }
  const conflicted = new Map<string, FireToRecord>();
  for (const fire of fires) {
    const key = fireKey(fire.schedule.name, fire.scheduledAt);
    if (!rowByKey.has(key)) conflicted.set(key, fire);
  }
  for (const chunk of chunked([...conflicted.values()])) {
    const pairs = chunk.map(
      (fire) => sql`(${fire.schedule.name}, ${fire.scheduledAt.toISOString()}::timestamptz)`,
    );
    const rows = await db
      .select()
      .from(runs)
      .where(
        and(
          eq(runs.kind, "schedule"),
          sql`(${runs.scheduleName}, ${runs.scheduledAt}) IN (${sql.join(pairs, sql`, `)})`,
        ),
      );
    for (const row of rows) rowByKey.set(fireKey(row.scheduleName, row.scheduledAt), row);
  }
  // Only possible if a winning row was deleted between the two statements; retrying is right.
  const vanished = [...conflicted].filter(([key]) => !rowByKey.has(key)).map(([, fire]) => fire);
  if (vanished.length > 0) {
    const retried = await recordRuns(db, vanished);
    vanished.forEach((fire, i) => {
      const key = fireKey(fire.schedule.name, fire.scheduledAt);
      rowByKey.set(key, retried[i]!.run);
      if (retried[i]!.isNew) newKeys.add(key);
    });
  }
  return fires.map((fire) => {
    const key = fireKey(fire.schedule.name, fire.scheduledAt);
    // The first input of a fire takes the new row; a duplicate input only sees it.
    const isNew = newKeys.delete(key);
    return { run: rowByKey.get(key)!, isNew };
  });
}
