import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { scheduleCursors } from "../db/schema.js";
import { chunked } from "./ledgerChunks.js";

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
    // One JSON parameter per chunk rather than two per cursor (see recordRuns).
    const json = JSON.stringify(chunk.map(([n, at]) => ({ n, a: at.toISOString() })));
    await db.execute(sql`insert into "schedule_cursors" (schedule_name, last_fire_at)
      SELECT c.n, c.a FROM jsonb_to_recordset(${json}::jsonb) AS c(n text, a timestamptz)
      ON CONFLICT (schedule_name) DO UPDATE SET last_fire_at = excluded.last_fire_at, updated_at = now()
      WHERE excluded.last_fire_at > schedule_cursors.last_fire_at`);
  }
}
