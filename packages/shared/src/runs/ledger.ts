import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, scheduleCursors, type RunRow } from "../db/schema.js";
import type { Schedule } from "../schedules/model.js";

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

/** Notes that a run's job reached BullMQ (again, after a heal), so the sweeper leaves it alone for a while. */
export async function markEnqueued(db: Database, runId: string): Promise<void> {
  await db
    .update(runs)
    .set({ enqueuedAt: sql`now()` })
    .where(and(eq(runs.id, runId), eq(runs.status, "queued")));
}

/**
 * One page of the sweeper's candidates, in id order after `afterId`: queued runs that never
 * reached the queue (`enqueued_at` null) or that were enqueued long enough ago that their job may
 * have vanished from Redis (the caller checks the queue before enqueueing those again), and
 * running ones, whose job Redis may have lost mid-task. `olderThanMs` leaves alone the runs a
 * scheduler is enqueueing right now. The sweeper moves `afterId` on page by page and starts over after a short page, so
 * every candidate is visited over successive sweeps: old healthy runs (enqueued, job present)
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
        or(and(isNull(runs.enqueuedAt), lt(runs.createdAt, bound)), lt(runs.enqueuedAt, bound)),
        afterId === null ? undefined : sql`${runs.id} > ${afterId}::uuid`,
      ),
    )
    .orderBy(asc(runs.id))
    .limit(limit);
}

/** True when the schedule has a run that is queued or running (for `overlapPolicy: "skip"`). */
export async function hasActiveRun(db: Database, scheduleName: string): Promise<boolean> {
  const [row] = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.scheduleName, scheduleName), inArray(runs.status, ["queued", "running"])))
    .limit(1);
  return row !== undefined;
}

/**
 * Every stored cursor, per schedule: every instant up to it has been dealt with (fired, missed or
 * passed by). Code calls it `cursorAt`; the column keeps its first name, `last_fire_at`.
 */
export async function loadCursors(db: Database): Promise<Map<string, Date>> {
  const rows = await db.select().from(scheduleCursors);
  return new Map(rows.map((row) => [row.scheduleName, row.lastFireAt]));
}

/**
 * Stores a schedule's cursor. It only moves forward, so a slow scheduler that writes late can
 * never pull it back and make the next leader replay fires as misfires.
 */
export async function saveCursor(db: Database, scheduleName: string, cursorAt: Date): Promise<void> {
  await db
    .insert(scheduleCursors)
    .values({ scheduleName, lastFireAt: cursorAt })
    .onConflictDoUpdate({
      target: scheduleCursors.scheduleName,
      set: { lastFireAt: sql`excluded.last_fire_at`, updatedAt: sql`now()` },
      setWhere: sql`excluded.last_fire_at > ${scheduleCursors.lastFireAt}`,
    });
}

/**
 * Rows per statement of the batched functions below: well under PostgreSQL's 65,535 bound
 * parameters (a run row binds 8), and small enough that one statement never holds a lock long.
 */
export const LEDGER_CHUNK_SIZE = 1000;

function chunked<T>(items: readonly T[], size = LEDGER_CHUNK_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
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
    const rows = await db
      .insert(runs)
      .values(
        chunk.map((fire) => ({
          scheduleName: fire.schedule.name,
          task: fire.schedule.task,
          kind: "schedule" as const,
          scheduledAt: fire.scheduledAt,
          payload: fire.schedule.payload ?? {},
          scheduleVersion: fire.schedule.version,
          status: fire.status,
          finishedAt: fire.status === "queued" ? null : finishedAt,
          error: fire.reason ?? null,
        })),
      )
      .onConflictDoNothing({ target: [runs.scheduleName, runs.scheduledAt], where: sql`kind = 'schedule'` })
      .returning();
    for (const row of rows) {
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

/** {@link markEnqueued} for many runs: one UPDATE per chunk. */
export async function markEnqueuedMany(db: Database, runIds: readonly string[]): Promise<void> {
  for (const chunk of chunked([...new Set(runIds)])) {
    await db
      .update(runs)
      .set({ enqueuedAt: sql`now()` })
      .where(and(inArray(runs.id, chunk), eq(runs.status, "queued")));
  }
}

/** {@link hasActiveRun} for many schedules: the names among `scheduleNames` with a queued or running run. */
export async function findActiveRunNames(
  db: Database,
  scheduleNames: readonly string[],
): Promise<Set<string>> {
  const active = new Set<string>();
  for (const chunk of chunked([...new Set(scheduleNames)])) {
    const rows = await db
      .selectDistinct({ name: runs.scheduleName })
      .from(runs)
      .where(and(inArray(runs.scheduleName, chunk), inArray(runs.status, ["queued", "running"])));
    for (const row of rows) active.add(row.name);
  }
  return active;
}

/**
 * {@link saveCursor} for many schedules: one multi-row upsert per chunk, each cursor only moving
 * forward. A name given twice keeps its latest instant (one statement may not touch a row twice).
 */
export async function saveCursors(
  db: Database,
  cursors: ReadonlyArray<{ name: string; cursorAt: Date }>,
): Promise<void> {
  const latest = new Map<string, Date>();
  for (const { name, cursorAt } of cursors) {
    const known = latest.get(name);
    if (!known || known < cursorAt) latest.set(name, cursorAt);
  }
  for (const chunk of chunked([...latest])) {
    await db
      .insert(scheduleCursors)
      .values(chunk.map(([scheduleName, cursorAt]) => ({ scheduleName, lastFireAt: cursorAt })))
      .onConflictDoUpdate({
        target: scheduleCursors.scheduleName,
        set: { lastFireAt: sql`excluded.last_fire_at`, updatedAt: sql`now()` },
        setWhere: sql`excluded.last_fire_at > ${scheduleCursors.lastFireAt}`,
      });
  }
}
