import { and, inArray, type SQL } from "drizzle-orm";
import { findMissingCalendars } from "../calendars/calendarQueries.js";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { computeListedNextFire, type ListedTiming } from "./computeListedNextFire.js";
import { compareName, compareNext, encodeCursor, type CursorKey, type ScheduleSort } from "./listCursor.js";
import { listedTimingColumns } from "./listConditions.js";
import { loadListedCalendars, toListedSchedules, type ListedSchedule } from "./listedSchedule.js";
import type { Schedule } from "./model.js";
import { peekScheduleFacts, readScheduleFacts } from "./scheduleFacts.js";

/**
 * Full rows read and checked at a time when their health is not cached yet: checking takes about
 * a tenth of a millisecond a row, so a chunk holds the event loop for tens of milliseconds at most.
 */
const ROWS_PER_READ = 500;

const namesIn = (values: unknown): string[] =>
  Array.isArray(values) ? values.filter((name): name is string => typeof name === "string") : [];

/** The full rows of `names` that still exist, in reads of {@link ROWS_PER_READ}, each given to `use`. */
async function readRows(db: Database, names: readonly string[], use: (row: Schedule) => void): Promise<void> {
  for (let i = 0; i < names.length; i += ROWS_PER_READ) {
    const chunk = names.slice(i, i + ROWS_PER_READ);
    for (const row of await db.select().from(schedules).where(inArray(schedules.name, chunk))) use(row);
  }
}

/** What the health filter reads of every matching row: what tells its cached facts apart. */
type FactsKeyRow = Pick<Schedule, "name" | "version" | "calendars">;
const factsKeyColumns = { name: schedules.name, version: schedules.version, calendars: schedules.calendars };

/**
 * A page filtered by health, which only the stored row's validation can tell. Every matching row
 * is read narrowly (name, version and calendars; its timing too by next run); its health comes
 * from the cache of facts by (name, version), and only the rows not seen at this version are read
 * whole and checked. So the first such list after a start checks every row once, and the next
 * ones read three narrow columns. Then the rows are ordered and cut like the other pages.
 */
export async function listByHealth(
  db: Database,
  conditions: SQL[],
  query: { health: "ok" | "invalid"; sort?: ScheduleSort; limit?: number },
  after: CursorKey | undefined,
  now: Date,
): Promise<{ items: ListedSchedule[]; nextCursor: string | null }> {
  const byNext = query.sort === "next";
  // By next run, every matching row's timing is needed for the order; by name, only its key.
  const where = conditions.length ? and(...conditions) : undefined;
  const timings: Array<FactsKeyRow & Partial<Omit<ListedTiming, keyof FactsKeyRow>>> = byNext
    ? await db.select(listedTimingColumns).from(schedules).where(where)
    : await db.select(factsKeyColumns).from(schedules).where(where);
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
  await readRows(db, unknown, (row) => {
    fullRows.set(row.name, row);
    statusOf.set(row.name, readScheduleFacts(db, { ...row, missingCalendars: missingOf(row) }).health.status);
  });

  const matching = timings.filter((row) => statusOf.get(row.name) === query.health);
  const calendarDates = byNext ? await loadListedCalendars(db, matching) : undefined;
  const keyed: CursorKey[] = matching.map((row) => {
    if (!calendarDates) return { n: row.name };
    const next = computeListedNextFire(row as ListedTiming, now, calendarDates);
    return { n: row.name, t: next === null ? null : next.getTime() };
  });
  const compare = byNext ? compareNext : compareName;
  keyed.sort(compare);
  const rest = after ? keyed.filter((key) => compare(key, after) > 0) : keyed;
  const pageKeys = query.limit === undefined ? rest : rest.slice(0, query.limit);

  const toRead = pageKeys.filter((key) => !fullRows.has(key.n)).map((key) => key.n);
  await readRows(db, toRead, (row) => fullRows.set(row.name, row));
  const pageRows = pageKeys.flatMap((key) => fullRows.get(key.n) ?? []);
  const items = await toListedSchedules(db, pageRows, now, calendarDates);
  const last = pageKeys.at(-1);
  const hasMore = query.limit !== undefined && rest.length > query.limit;
  return { items, nextCursor: hasMore && last ? encodeCursor(last) : null };
}
