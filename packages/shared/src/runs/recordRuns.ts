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
