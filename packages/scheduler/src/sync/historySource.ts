import { and, asc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { scheduleCursors, scheduleHistory, schedules, type Database } from "@hotbeat/shared";
import type { HistoryChange } from "./earlierTimings.js";

/**
 * For each of `names`, the last time its history shows it becoming enabled (created, re-created
 * or resumed by hand). Instants before that were not owed to anyone: a paused schedule has no
 * misfires. A pause that ended at its `pausedUntil` (source `scheduler`) does not count: hotbeat
 * stored the cursor it resumes from itself, the resume instant or, for `pauseMode: catch_up`,
 * where the pause began (see resumePaused).
 */
export async function loadLastEnabledAt(db: Database, names: string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({
      name: scheduleHistory.scheduleName,
      atMs: sql<number>`(extract(epoch from max(${scheduleHistory.changedAt})) * 1000)::float8`,
    })
    .from(scheduleHistory)
    .where(
      sql`${inArray(scheduleHistory.scheduleName, names)}
        AND NOT coalesce((${scheduleHistory.oldValue}->>'enabled')::boolean, false)
        AND coalesce((${scheduleHistory.newValue}->>'enabled')::boolean, false)
        AND ${scheduleHistory.source} <> 'scheduler'`,
    )
    .groupBy(scheduleHistory.scheduleName);
  return new Map(rows.map((row) => [row.name, Number(row.atMs)]));
}

/**
 * When `name` was last paused: the last change that turned it from enabled to disabled, or null
 * when its history shows none (created paused, or history pruned).
 */
export async function loadLastDisabledAt(db: Database, name: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`max(${scheduleHistory.changedAt})`.mapWith(schedules.createdAt) })
    .from(scheduleHistory)
    .where(
      and(
        eq(scheduleHistory.scheduleName, name),
        sql`coalesce((${scheduleHistory.oldValue}->>'enabled')::boolean, false)
          AND NOT coalesce((${scheduleHistory.newValue}->>'enabled')::boolean, true)`,
      ),
    );
  return row?.at ?? null;
}

/** The stored cursor of `name`: the last instant a leader dealt with, or null when none is stored. */
export async function loadStoredCursor(db: Database, name: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: scheduleCursors.lastFireAt })
    .from(scheduleCursors)
    .where(eq(scheduleCursors.scheduleName, name));
  return row && Number.isFinite(row.at.getTime()) ? row.at : null;
}

/**
 * For each schedule, the history rows of the changes made after its stored cursor, oldest first:
 * what a new leader replays to know which timing owed each instant since (see restoreCursors).
 * Read through the index on (schedule_name, id), a few hundred names per statement.
 */
export async function loadHistoryAfter(
  db: Database,
  cursors: ReadonlyArray<{ name: string; afterAt: Date }>,
): Promise<Map<string, HistoryChange[]>> {
  const byName = new Map<string, HistoryChange[]>();
  for (let i = 0; i < cursors.length; i += 500) {
    const chunk = cursors.slice(i, i + 500);
    const rows = await db
      .select({
        name: scheduleHistory.scheduleName,
        version: scheduleHistory.version,
        changedAt: scheduleHistory.changedAt,
        oldValue: scheduleHistory.oldValue,
        newValue: scheduleHistory.newValue,
        source: scheduleHistory.source,
      })
      .from(scheduleHistory)
      .where(
        or(
          ...chunk.map(({ name, afterAt }) =>
            and(eq(scheduleHistory.scheduleName, name), gt(scheduleHistory.changedAt, afterAt)),
          ),
        ),
      )
      .orderBy(asc(scheduleHistory.id));
    for (const { name, ...change } of rows) {
      const changes = byName.get(name) ?? [];
      changes.push(change);
      byName.set(name, changes);
    }
  }
  return byName;
}
