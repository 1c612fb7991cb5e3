import { eq, gte, inArray, sql } from "drizzle-orm";
import { scheduleHistory, schedules, type Database, type Schedule } from "@hotbeat/shared";

/** A position in PostgreSQL's transaction order: every change at or after it is still to be read. */
export type Watermark = string;

export interface ChangeSet {
  /** Each changed schedule's latest version (a delete's version included) and its row, if it still exists. */
  changes: Array<{ name: string; version: number; row: Schedule | undefined }>;
  watermark: Watermark;
}

const SNAPSHOT = { isolationLevel: "repeatable read", accessMode: "read only" } as const;

// The oldest transaction still running when the snapshot was taken. Anything that commits later
// has an xid at or after it, even if it took its xid long before a younger transaction that
// committed first: reading `txid >= xmin` next time cannot miss an out-of-order commit, which a
// watermark on a sequence or a timestamp would (they are assigned before commit, not at it).
async function readXmin(tx: Pick<Database, "execute">): Promise<Watermark> {
  const [row] = await tx.execute<{ xmin: string }>(
    sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
  );
  return row!.xmin;
}

/** Every enabled schedule, and the watermark from the same snapshot, for a full (re)load. */
export async function loadEnabledSchedules(
  db: Database,
): Promise<{ rows: Schedule[]; watermark: Watermark }> {
  return db.transaction(async (tx) => {
    const watermark = await readXmin(tx);
    const rows = await tx
      .select()
      .from(schedules)
      .where(sql`${schedules.enabled}`);
    return { rows, watermark };
  }, SNAPSHOT);
}

/**
 * The schedules changed by any transaction at or after `since` (by history, so raw SQL edits and
 * deletes are found too), their rows, and the next watermark, all from one snapshot. Cost is
 * proportional to what changed, through the index on `schedule_history.txid`, not to the number
 * of schedules. A change may be read twice; applying by version makes that harmless.
 */
export async function loadChangesSince(db: Database, since: Watermark): Promise<ChangeSet> {
  return db.transaction(async (tx) => {
    const watermark = await readXmin(tx);
    const changed = await tx
      .select({
        name: scheduleHistory.scheduleName,
        version: sql<number>`max(${scheduleHistory.version})::int`,
      })
      .from(scheduleHistory)
      .where(gte(scheduleHistory.txid, sql`${since}::xid8`))
      .groupBy(scheduleHistory.scheduleName);
    if (changed.length === 0) return { changes: [], watermark };
    const rows = await tx
      .select()
      .from(schedules)
      .where(
        inArray(
          schedules.name,
          changed.map((c) => c.name),
        ),
      );
    const byName = new Map(rows.map((row) => [row.name, row]));
    return {
      changes: changed.map((c) => ({ name: c.name, version: c.version, row: byName.get(c.name) })),
      watermark,
    };
  }, SNAPSHOT);
}

/**
 * One schedule and its version, from one snapshot. When the row is gone the version is that of
 * its last history entry (a delete's), and 0 for a name this database never had (a message of
 * another deployment on the shared channel), so the caller can order a disappearance against
 * the loads that raced it like any other change.
 */
export async function loadSchedule(
  db: Database,
  name: string,
): Promise<{ row: Schedule | undefined; version: number }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(schedules).where(eq(schedules.name, name)).limit(1);
    if (row) return { row, version: row.version };
    const [last] = await tx
      .select({ version: sql<number | null>`max(${scheduleHistory.version})::int` })
      .from(scheduleHistory)
      .where(eq(scheduleHistory.scheduleName, name));
    return { row: undefined, version: last?.version ?? 0 };
  }, SNAPSHOT);
}
