import { and, inArray, type SQL } from "drizzle-orm";
import { findMissingCalendars } from "../calendars/calendarQueries.js";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { computeListedNextFire } from "./computeListedNextFire.js";
import { compareName, compareNext, encodeCursor, type CursorKey, type ScheduleSort } from "./listCursor.js";
import { listedTimingColumns } from "./listConditions.js";
import { loadListedCalendars, toListedSchedules, type ListedSchedule } from "./listedSchedule.js";
import type { Schedule } from "./model.js";
import { peekScheduleFacts, readScheduleFacts } from "./scheduleFacts.js";

/** Full rows read per query for the rows whose health is not cached yet. */
const ROWS_PER_READ = 2000;

const namesIn = (values: unknown): string[] =>
  Array.isArray(values) ? values.filter((name): name is string => typeof name === "string") : [];

/** The full rows of `names` that still exist, in reads of {@link ROWS_PER_READ}. */
async function readRows(db: Database, names: readonly string[]): Promise<Schedule[]> {
  const rows: Schedule[] = [];
  for (let i = 0; i < names.length; i += ROWS_PER_READ) {
    const chunk = names.slice(i, i + ROWS_PER_READ);
    rows.push(...(await db.select().from(schedules).where(inArray(schedules.name, chunk))));
  }
  return rows;
}

/**
 * A page filtered by health, which only the stored row's validation can tell. Every matching row
 * is read narrowly (its timing and version); its health comes from the cache of facts by
 * (name, version), and only the rows not seen at this version are read whole and checked. So the
 * first such list after a start checks every row once, and the next ones read two narrow columns
 * more than an unfiltered list. Then the rows are ordered and cut like the other pages.
 */
export async function listByHealth(
  db: Database,
  conditions: SQL[],
  query: { health: "ok" | "invalid"; sort?: ScheduleSort; limit?: number },
  after: CursorKey | undefined,
  now: Date,
): Promise<{ items: ListedSchedule[]; nextCursor: string | null }> {
  const timings = await db
    .select(listedTimingColumns)
    .from(schedules)
    .where(conditions.length ? and(...conditions) : undefined);
  const missing = new Set(
    await findMissingCalendars(
      db,
      timings.flatMap((row) => namesIn(row.calendars)),
    ),
  );
  const missingOf = (row: { calendars: unknown }) =>
    namesIn(row.calendars).filter((name) => missing.has(name));

  const statusOf = new Map<string, "ok" | "invalid">();
  const unknown: string[] = [];
  for (const row of timings) {
    const facts = peekScheduleFacts(db, { ...row, missingCalendars: missingOf(row) });
    if (facts) statusOf.set(row.name, facts.health.status);
    else unknown.push(row.name);
  }
  const fullRows = new Map<string, Schedule>();
  for (const row of await readRows(db, unknown)) {
    fullRows.set(row.name, row);
    statusOf.set(row.name, readScheduleFacts(db, { ...row, missingCalendars: missingOf(row) }).health.status);
  }

  const matching = timings.filter((row) => statusOf.get(row.name) === query.health);
  const byNext = query.sort === "next";
  const calendarDates = byNext ? await loadListedCalendars(db, matching) : undefined;
  const keyed: CursorKey[] = matching.map((row) => {
    if (!calendarDates) return { n: row.name };
    const next = computeListedNextFire(row, now, calendarDates);
    return { n: row.name, t: next === null ? null : next.getTime() };
  });
  const compare = byNext ? compareNext : compareName;
  keyed.sort(compare);
  const rest = after ? keyed.filter((key) => compare(key, after) > 0) : keyed;
  const pageKeys = query.limit === undefined ? rest : rest.slice(0, query.limit);

  const toRead = pageKeys.filter((key) => !fullRows.has(key.n)).map((key) => key.n);
  for (const row of await readRows(db, toRead)) fullRows.set(row.name, row);
  const pageRows = pageKeys.flatMap((key) => fullRows.get(key.n) ?? []);
  const items = await toListedSchedules(db, pageRows, now, calendarDates);
  const last = pageKeys.at(-1);
  const hasMore = query.limit !== undefined && rest.length > query.limit;
  return { items, nextCursor: hasMore && last ? encodeCursor(last) : null };
}
