import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { scheduleHistory, schedules } from "../db/schema.js";
import { ScheduleNotFound } from "../errors.js";
import type { Schedule } from "./model.js";

/** One schedule by name, or undefined. */
export async function findSchedule(db: Database, name: string): Promise<Schedule | undefined> {
  const [row] = await db.select().from(schedules).where(eq(schedules.name, name)).limit(1);
  return row;
}

/** One schedule by name; throws {@link ScheduleNotFound}. */
export async function getSchedule(db: Database, name: string): Promise<Schedule> {
  const row = await findSchedule(db, name);
  if (!row) throw new ScheduleNotFound(name);
  return row;
}

/** Every schedule, by name, optionally filtered. */
export async function listSchedules(
  db: Database,
  filter: { enabled?: boolean; task?: string } = {},
): Promise<Schedule[]> {
  const conditions: SQL[] = [];
  if (filter.enabled !== undefined) conditions.push(eq(schedules.enabled, filter.enabled));
  if (filter.task !== undefined) conditions.push(eq(schedules.task, filter.task));
  return db
    .select()
    .from(schedules)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(schedules.name));
}

/** The change history of one schedule, newest first. */
export async function listScheduleHistory(db: Database, name: string, limit = 200) {
  return db
    .select({
      id: scheduleHistory.id,
      scheduleName: scheduleHistory.scheduleName,
      op: scheduleHistory.op,
      version: scheduleHistory.version,
      actor: scheduleHistory.actor,
      source: scheduleHistory.source,
      note: scheduleHistory.note,
      oldValue: scheduleHistory.oldValue,
      newValue: scheduleHistory.newValue,
      changedAt: scheduleHistory.changedAt,
    })
    .from(scheduleHistory)
    .where(eq(scheduleHistory.scheduleName, name))
    .orderBy(desc(scheduleHistory.id))
    .limit(limit);
}
