import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import { findMissingCalendars, type CalendarReader } from "../calendars/calendarQueries.js";
import type { Database } from "../db/client.js";
import { scheduleHistory, schedules } from "../db/schema.js";
import { selectHistoryFields } from "../db/historyFields.js";
import { ScheduleNotFound } from "../errors.js";
import { parseLabelSelector, toLabelConditions } from "./labelSelector.js";
import type { Schedule } from "./model.js";
import type { StoredSchedule } from "./storedHealth.js";

/**
 * Rows with the calendars each names that do not exist, so their health can say so: one query
 * for all of them, none when no row names a calendar.
 */
export async function withMissingCalendars<T extends Schedule>(
  db: CalendarReader,
  rows: readonly T[],
): Promise<(T & { missingCalendars: string[] })[]> {
  const namesOf = (row: T): string[] =>
    Array.isArray(row.calendars) ? row.calendars.filter((name) => typeof name === "string") : [];
  const named = rows.flatMap(namesOf);
  const missing = new Set(named.length === 0 ? [] : await findMissingCalendars(db, named));
  return rows.map((row) => ({
    ...row,
    missingCalendars: missing.size === 0 ? [] : namesOf(row).filter((name) => missing.has(name)),
  }));
}

/** One schedule by name, or undefined. */
export async function findSchedule(db: Database, name: string): Promise<StoredSchedule | undefined> {
  const rows = await db.select().from(schedules).where(eq(schedules.name, name)).limit(1);
  const [row] = await withMissingCalendars(db, rows);
  return row;
}

/** One schedule by name; throws {@link ScheduleNotFound}. */
export async function getSchedule(db: Database, name: string): Promise<StoredSchedule> {
  const row = await findSchedule(db, name);
  if (!row) throw new ScheduleNotFound(name);
  return row;
}

/** Every schedule, by name, optionally filtered (`labelSelector`: as `?label=` takes it). */
export async function listSchedules(
  db: Database,
  filter: { enabled?: boolean; task?: string; labelSelector?: readonly string[] } = {},
): Promise<StoredSchedule[]> {
  const conditions: SQL[] = [];
  if (filter.enabled !== undefined) conditions.push(eq(schedules.enabled, filter.enabled));
  if (filter.task !== undefined) conditions.push(eq(schedules.task, filter.task));
  if (filter.labelSelector !== undefined)
    conditions.push(...toLabelConditions(parseLabelSelector(filter.labelSelector)));
  const rows = await db
    .select()
    .from(schedules)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(schedules.name));
  return withMissingCalendars(db, rows);
}

/** The change history of one schedule, newest first. */
export async function listScheduleHistory(db: Database, name: string, limit = 200) {
  return db
    .select({
      id: scheduleHistory.id,
      scheduleName: scheduleHistory.scheduleName,
      ...selectHistoryFields(scheduleHistory),
    })
    .from(scheduleHistory)
    .where(eq(scheduleHistory.scheduleName, name))
    .orderBy(desc(scheduleHistory.id))
    .limit(limit);
}
