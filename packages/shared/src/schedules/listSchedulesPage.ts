import { and, asc, gt, inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { computeListedNextFire } from "./computeListedNextFire.js";
import { listByHealth } from "./listByHealth.js";
import { compareNext, decodeCursor, encodeCursor, type ScheduleSort } from "./listCursor.js";
import { buildListConditions, listedTimingColumns, type ListFilters } from "./listConditions.js";
import { loadListedCalendars, toListedSchedules, type ListedSchedule } from "./listedSchedule.js";

export { SCHEDULE_SORTS, type ScheduleSort } from "./listCursor.js";
export type { ListedSchedule } from "./listedSchedule.js";

export interface SchedulePageQuery extends ListFilters {
  /** `invalid`: only the rows hotbeat cannot fire (see `checkStoredSchedule`). */
  health?: "ok" | "invalid";
  sort?: ScheduleSort;
  /** Rows per page; absent: every matching schedule, in one page. */
  limit?: number;
  /** From a previous page's `nextCursor`; only meaningful with the same filters and sort. */
  cursor?: string;
}

export interface SchedulePage {
  items: ListedSchedule[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

/**
 * A page of schedules, with each one's next fire, health, summary and last run. By name, the
 * page is a keyset query on the primary key. By next run, the next fire is computed here for
 * every matching row (it depends on the zone's rules, so PostgreSQL cannot order by it) and the
 * page cut from that order; the cursor is the last (next fire, name) pair, so a page stays stable
 * while rows change behind it. Parsed crons are cached per expression, health and summary per
 * (name, version), which keeps 10k rows well under a second.
 */
export async function listSchedulesPage(
  db: Database,
  query: SchedulePageQuery,
  now: Date,
): Promise<SchedulePage> {
  const sort = query.sort ?? "name";
  const conditions = buildListConditions(query);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort);
  const limit = query.limit;

  if (query.health !== undefined)
    return listByHealth(
      db,
      conditions,
      { health: query.health, sort, ...(limit !== undefined ? { limit } : {}) },
      after,
      now,
    );

  if (sort === "name") {
    if (after) conditions.push(gt(schedules.name, after.n));
    const base = db
      .select()
      .from(schedules)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(schedules.name));
    const rows = limit === undefined ? await base : await base.limit(limit + 1);
    const page = limit === undefined ? rows : rows.slice(0, limit);
    const last = page.at(-1);
    const hasMore = limit !== undefined && rows.length > limit;
    return {
      items: await toListedSchedules(db, page, now),
      nextCursor: hasMore && last ? encodeCursor({ n: last.name }) : null,
    };
  }

  const timings = await db
    .select(listedTimingColumns)
    .from(schedules)
    .where(conditions.length ? and(...conditions) : undefined);
  // The order needs every matching row's excluded dates: their calendars in one query, reused
  // for the page's rows so a row sorts by the very next run it lists.
  const calendarDates = await loadListedCalendars(db, timings);
  const keyed = timings.map((row) => {
    const next = computeListedNextFire(row, now, calendarDates);
    return { n: row.name, t: next === null ? null : next.getTime() };
  });
  keyed.sort(compareNext);
  const start = after ? keyed.findIndex((key) => compareNext(key, after) > 0) : 0;
  const rest = start === -1 ? [] : keyed.slice(start);
  const pageKeys = limit === undefined ? rest : rest.slice(0, limit);
  const rows = pageKeys.length
    ? await db
        .select()
        .from(schedules)
        .where(
          inArray(
            schedules.name,
            pageKeys.map((key) => key.n),
          ),
        )
    : [];
  const byName = new Map(rows.map((row) => [row.name, row]));
  const ordered = pageKeys.flatMap((key) => byName.get(key.n) ?? []);
  const last = pageKeys.at(-1);
  return {
    items: await toListedSchedules(db, ordered, now, calendarDates),
    nextCursor: limit !== undefined && rest.length > limit && last ? encodeCursor(last) : null,
  };
}

/** The named schedules that exist, listed as a page lists them (for live updates). */
export async function listSchedulesByName(
  db: Database,
  names: readonly string[],
  now: Date,
): Promise<ListedSchedule[]> {
  if (names.length === 0) return [];
  const rows = await db
    .select()
    .from(schedules)
    .where(inArray(schedules.name, [...names]));
  return toListedSchedules(db, rows, now);
}
