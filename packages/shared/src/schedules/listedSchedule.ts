import type { Database } from "../db/client.js";
import { loadLastRuns, type LastRun } from "../runs/loadLastRuns.js";
import { collectCalendarNames, computeListedNextFire } from "./computeListedNextFire.js";
import type { CalendarDates } from "./exclusions.js";
import { loadCalendarDates } from "./loadExclusions.js";
import type { Schedule } from "./model.js";
import { withMissingCalendars } from "./queries.js";
import { readScheduleFacts } from "./scheduleFacts.js";
import type { ScheduleHealth, StoredSchedule } from "./storedHealth.js";

/** A listed schedule with what the server computes for it. */
export interface ListedSchedule {
  /** The row, with the calendars it names that do not exist (its health says so). */
  schedule: StoredSchedule;
  /** The next fire strictly after `now`; null when paused, finished, or not computable. */
  nextFireAt: Date | null;
  summary: string;
  health: ScheduleHealth;
  /** Its latest run (see {@link loadLastRuns}); null when it never ran. */
  lastRun: LastRun | null;
}

/** The dates of every calendar the rows name, in one query for the whole page. */
export const loadListedCalendars = (db: Database, rows: readonly Pick<Schedule, "calendars">[]) =>
  loadCalendarDates(db, collectCalendarNames(rows));

/**
 * Rows as the list answers them: with their next run, health, summary and last run. A few queries
 * for the whole page (missing calendars, last runs, and the calendars' dates unless given),
 * never one per row.
 */
export async function toListedSchedules(
  db: Database,
  rows: readonly Schedule[],
  now: Date,
  calendarDates?: readonly CalendarDates[],
): Promise<ListedSchedule[]> {
  if (rows.length === 0) return [];
  const [dates, stored, lastRuns] = await Promise.all([
    calendarDates ?? loadListedCalendars(db, rows),
    withMissingCalendars(db, rows),
    loadLastRuns(
      db,
      rows.map((row) => row.name),
      now,
    ),
  ]);
  return stored.map((row) => {
    const { health, summary } = readScheduleFacts(db, row);
    return {
      schedule: row,
      nextFireAt: computeListedNextFire(row, now, dates),
      summary,
      health,
      lastRun: lastRuns.get(row.name) ?? null,
    };
  });
}
