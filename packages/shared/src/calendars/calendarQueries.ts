import { asc, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { calendarHistory, calendars, schedules } from "../db/schema.js";
import { selectHistoryFields } from "../db/historyFields.js";
import { CalendarNotFound } from "./calendarErrors.js";
import type { Calendar } from "./calendarModel.js";

/** What the queries below need of a database or a transaction. */
export type CalendarReader = Pick<Database, "select">;

/** A calendar with the number of schedules that name it. */
export interface CalendarWithUse {
  calendar: Calendar;
  usedBy: number;
}

// `?` is jsonb's "has this string as an element", which the GIN index on schedules.calendars serves.
// Written out in full: Drizzle leaves the columns of a selected expression unqualified, and inside
// this subquery a bare "calendars" would be the schedules column of that name.
const usedBy = sql<number>`(SELECT count(*)::int FROM schedules AS s WHERE s.calendars ? calendars.name)`;

/** One calendar by name, with its use count, or undefined. */
export async function findCalendar(db: CalendarReader, name: string): Promise<CalendarWithUse | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(calendars), usedBy })
    .from(calendars)
    .where(eq(calendars.name, name))
    .limit(1);
  if (!row) return undefined;
  const { usedBy: count, ...calendar } = row;
  return { calendar, usedBy: count };
}

/** One calendar by name, with its use count; throws {@link CalendarNotFound}. */
export async function getCalendar(db: CalendarReader, name: string): Promise<CalendarWithUse> {
  const found = await findCalendar(db, name);
  if (!found) throw new CalendarNotFound(name);
  return found;
}

/** Every calendar, by name, each with its use count. */
export async function listCalendars(db: CalendarReader): Promise<CalendarWithUse[]> {
  const rows = await db
    .select({ ...getTableColumns(calendars), usedBy })
    .from(calendars)
    .orderBy(asc(calendars.name));
  return rows.map(({ usedBy: count, ...calendar }) => ({ calendar, usedBy: count }));
}

/** The named calendars, those that exist (for schedules that exclude their dates). */
export async function listCalendarsByName(db: CalendarReader, names: readonly string[]): Promise<Calendar[]> {
  if (names.length === 0) return [];
  return db
    .select()
    .from(calendars)
    .where(inArray(calendars.name, [...names]))
    .orderBy(asc(calendars.name));
}

/**
 * Which of `names` name no calendar, in the order given. With `lock`, the calendars that exist are
 * key-share locked until the transaction ends, so none can be deleted under a schedule that is
 * being saved with its name (a delete checks for users after taking its own lock).
 */
export async function findMissingCalendars(
  db: CalendarReader,
  names: readonly string[],
  options: { lock?: boolean } = {},
): Promise<string[]> {
  const wanted = [...new Set(names)];
  if (wanted.length === 0) return [];
  const query = db
    .select({ name: calendars.name })
    .from(calendars)
    .where(inArray(calendars.name, wanted))
    .orderBy(asc(calendars.name));
  const rows = options.lock ? await query.for("key share") : await query;
  const existing = new Set(rows.map((row) => row.name));
  return wanted.filter((name) => !existing.has(name));
}

/** The change history of one calendar, newest first. */
export async function listCalendarHistory(db: CalendarReader, name: string, limit = 200) {
  return db
    .select({
      id: calendarHistory.id,
      calendarName: calendarHistory.calendarName,
      ...selectHistoryFields(calendarHistory),
    })
    .from(calendarHistory)
    .where(eq(calendarHistory.calendarName, name))
    .orderBy(desc(calendarHistory.id))
    .limit(limit);
}

/** The schedules that name a calendar, by name, with their versions. */
export async function listCalendarUsers(
  db: CalendarReader,
  name: string,
  limit?: number,
): Promise<{ name: string; version: number }[]> {
  const query = db
    .select({ name: schedules.name, version: schedules.version })
    .from(schedules)
    .where(sql`${schedules.calendars} ? ${name}`)
    .orderBy(asc(schedules.name));
  return limit === undefined ? query : query.limit(limit);
}
