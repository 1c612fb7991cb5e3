import { inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { calendars } from "../db/schema.js";
import { compileExclusions, type CalendarDates, type ExclusionMatcher } from "./exclusions.js";
import type { Schedule } from "./model.js";

/**
 * The dates of the named calendars that exist. Takes a transaction too, so the scheduler reads a
 * schedule and its calendars from one snapshot: a calendar change bumps the version of every
 * schedule naming it in the same transaction, so that version and those dates go together.
 */
export async function loadCalendarDates(
  db: Pick<Database, "select">,
  names: readonly string[],
): Promise<CalendarDates[]> {
  const wanted = [...new Set(names.filter((name) => typeof name === "string"))];
  if (wanted.length === 0) return [];
  return db
    .select({ name: calendars.name, dates: calendars.dates })
    .from(calendars)
    .where(inArray(calendars.name, wanted));
}

/** What a schedule excludes, and the calendars it names that do not exist (they exclude nothing). */
export interface LoadedExclusions {
  matchers: ExclusionMatcher[];
  missingCalendars: string[];
}

/** Loads the calendars a schedule (or an unsaved definition) names and compiles its exclusions. */
export async function loadExclusions(
  db: Pick<Database, "select">,
  schedule: Pick<Schedule, "exclude" | "calendars">,
): Promise<LoadedExclusions> {
  const names = (schedule.calendars ?? []).filter((name): name is string => typeof name === "string");
  const dates = await loadCalendarDates(db, names);
  const found = new Set(dates.map((calendar) => calendar.name));
  return {
    matchers: compileExclusions(schedule.exclude ?? [], names, dates),
    missingCalendars: names.filter((name) => !found.has(name)),
  };
}
