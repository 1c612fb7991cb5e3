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
 * Candidates for the sweeper: queued runs that never reached the queue (`enqueued_at` null) or
 * that were enqueued long enough ago that their job may have vanished from Redis (the caller
 * checks the queue before enqueueing those again). `olderThanMs` leaves alone the runs a
 * scheduler is enqueueing right now. Oldest first, at most `limit`.
 */
export async function findRunsToEnqueue(db: Database, olderThanMs: number, limit = 500): Promise<RunRow[]> {
  const bound = sql`now() - make_interval(secs => ${olderThanMs / 1000})`;
  return db
    .select()
    .from(runs)
    .where(
      and(
        // A running run is a candidate too: if Redis lost its job mid-task, nothing else would
        // ever finish it (the worker's claim accepts a running run, as after a worker's death).
        inArray(runs.status, ["queued", "running"]),
        or(and(isNull(runs.enqueuedAt), lt(runs.createdAt, bound)), lt(runs.enqueuedAt, bound)),
      ),
    )
    .orderBy(sql`${runs.enqueuedAt} ASC NULLS FIRST`, asc(runs.createdAt))
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

/** Every stored cursor: the last fire instant the timeline dealt with, per schedule. */
export async function loadCursors(db: Database): Promise<Map<string, Date>> {
  const rows = await db.select().from(scheduleCursors);
  return new Map(rows.map((row) => [row.scheduleName, row.lastFireAt]));
}

/**
 * Stores a schedule's cursor. It only moves forward, so a slow scheduler that writes late can
 * never pull it back and make the next leader replay fires as misfires.
 */
export async function saveCursor(db: Database, scheduleName: string, lastFireAt: Date): Promise<void> {
  await db
    .insert(scheduleCursors)
    .values({ scheduleName, lastFireAt })
    .onConflictDoUpdate({
      target: scheduleCursors.scheduleName,
      set: { lastFireAt: sql`excluded.last_fire_at`, updatedAt: sql`now()` },
      setWhere: sql`excluded.last_fire_at > ${scheduleCursors.lastFireAt}`,
    });
}
