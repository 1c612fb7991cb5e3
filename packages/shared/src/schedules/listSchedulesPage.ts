import { and, asc, eq, gt, ilike, inArray, or, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { schedules } from "../db/schema.js";
import { AppError } from "../errors.js";
import { describeSchedule } from "./describeSchedule.js";
import type { CalendarDates } from "./exclusions.js";
import { collectCalendarNames, computeListedNextFire } from "./computeListedNextFire.js";
import { loadCalendarDates } from "./loadExclusions.js";
import { parseLabelSelector, toLabelConditions } from "./labelSelector.js";
import { withMissingCalendars } from "./queries.js";
import { checkStoredSchedule, type StoredSchedule } from "./storedHealth.js";

/** The orders a schedule list can come in. */
export const SCHEDULE_SORTS = ["name", "next"] as const;
export type ScheduleSort = (typeof SCHEDULE_SORTS)[number];

export interface SchedulePageQuery {
  enabled?: boolean;
  task?: string;
  /** `invalid`: only the rows hotbeat cannot fire (see {@link checkStoredSchedule}). */
  health?: "ok" | "invalid";
  /** Searched in name and description, case-insensitively, as plain text (no wildcards). */
  q?: string;
  /**
   * Label selectors, all ANDed, each a comma list of `key=value`, `key!=value`, `key`, `!key`
   * (kubectl's syntax); a bad one is an `invalid` error naming `label`.
   */
  labelSelector?: readonly string[];
  sort?: ScheduleSort;
  /** Rows per page; absent: every matching schedule, in one page. */
  limit?: number;
  /** From a previous page's `nextCursor`; only meaningful with the same filters and sort. */
  cursor?: string;
}

/** A listed schedule with what the server computes for it. */
export interface ListedSchedule {
  /** The row, with the calendars it names that do not exist (its health says so). */
  schedule: StoredSchedule;
  /** The next fire strictly after `now`; null when paused, finished, or not computable. */
  nextFireAt: Date | null;
  summary: string;
}

export interface SchedulePage {
  items: ListedSchedule[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

/** The keyset a cursor carries: the last row's sort key. `t` is its next fire in ms (next sort). */
interface CursorKey {
  n: string;
  t?: number | null;
}

class InvalidCursor extends AppError {
  constructor(cause?: unknown) {
    super(
      "invalid",
      "cursor: not a cursor this list gave out",
      [{ field: "cursor", message: "not a cursor this list gave out" }],
      { cause },
    );
  }
}

const encodeCursor = (key: CursorKey) => Buffer.from(JSON.stringify(key)).toString("base64url");

function decodeCursor(cursor: string, sort: ScheduleSort): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (error) {
    throw new InvalidCursor(error);
  }
  const isKey =
    typeof key === "object" &&
    key !== null &&
    typeof (key as CursorKey).n === "string" &&
    (sort === "name" || (key as CursorKey).t === null || typeof (key as CursorKey).t === "number");
  if (!isKey) throw new InvalidCursor();
  return key as CursorKey;
}

/** `%`, `_` and `\` are LIKE's own characters: a search for "50%" means those three characters. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function buildConditions(query: SchedulePageQuery): SQL[] {
  const conditions: SQL[] = [];
  if (query.enabled !== undefined) conditions.push(eq(schedules.enabled, query.enabled));
  if (query.task !== undefined) conditions.push(eq(schedules.task, query.task));
  if (query.q !== undefined && query.q.trim() !== "") {
    const pattern = `%${escapeLike(query.q.trim())}%`;
    conditions.push(or(ilike(schedules.name, pattern), ilike(schedules.description, pattern))!);
  }
  if (query.labelSelector !== undefined)
    conditions.push(...toLabelConditions(parseLabelSelector(query.labelSelector)));
  return conditions;
}

const toListed = (
  schedule: StoredSchedule,
  now: Date,
  calendarDates: readonly CalendarDates[],
): ListedSchedule => ({
  schedule,
  nextFireAt: computeListedNextFire(schedule, now, calendarDates),
  summary: describeSchedule(schedule),
});

/** The dates of every calendar the rows name, in one query for the whole page. */
const loadListedCalendars = (db: Database, rows: readonly Pick<StoredSchedule, "calendars">[]) =>
  loadCalendarDates(db, collectCalendarNames(rows));

/** Later than any instant: schedules that never fire again sort last. */
const NEVER_MS = Number.MAX_SAFE_INTEGER;
const compareNext = (a: CursorKey, b: CursorKey) =>
  (a.t ?? NEVER_MS) - (b.t ?? NEVER_MS) || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0);

/**
 * A page of schedules, with each one's next fire and summary. By name, the page is a keyset
 * query on the primary key. By next run, the next fire is computed here for every matching row
 * (it depends on the zone's rules, so PostgreSQL cannot order by it) and the page cut from that
 * order; the cursor is the last (next fire, name) pair, so a page stays stable while rows change
 * behind it. Parsed crons are cached per expression, which keeps 10k rows well under a second.
 */
export async function listSchedulesPage(
  db: Database,
  query: SchedulePageQuery,
  now: Date,
): Promise<SchedulePage> {
  const sort = query.sort ?? "name";
  const conditions = buildConditions(query);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort);
  const limit = query.limit;

  if (query.health !== undefined) return listByHealth(db, conditions, query, after, now);

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
    const calendarDates = await loadListedCalendars(db, page);
    return {
      items: (await withMissingCalendars(db, page)).map((row) => toListed(row, now, calendarDates)),
      nextCursor: hasMore && last ? encodeCursor({ n: last.name }) : null,
    };
  }

  const timings = await db
    .select({
      name: schedules.name,
      enabled: schedules.enabled,
      cron: schedules.cron,
      intervalSeconds: schedules.intervalSeconds,
      runAt: schedules.runAt,
      timezone: schedules.timezone,
      startAt: schedules.startAt,
      endAt: schedules.endAt,
      intervalAnchorAt: schedules.intervalAnchorAt,
      exclude: schedules.exclude,
      calendars: schedules.calendars,
    })
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
  const byName = new Map((await withMissingCalendars(db, rows)).map((row) => [row.name, row]));
  const items = pageKeys.flatMap((key) => {
    const row = byName.get(key.n);
    return row ? [toListed(row, now, calendarDates)] : [];
  });
  const last = pageKeys.at(-1);
  return {
    items,
    nextCursor: limit !== undefined && rest.length > limit && last ? encodeCursor(last) : null,
  };
}

/**
 * A page filtered by health, which only the stored row's validation can tell: every matching row
 * is read and checked here, then ordered and cut like the other pages. Broken rows are few and
 * this filter is for finding them, so reading the matching rows whole is the simple, right cost.
 */
async function listByHealth(
  db: Database,
  conditions: SQL[],
  query: SchedulePageQuery,
  after: CursorKey | undefined,
  now: Date,
): Promise<SchedulePage> {
  const rows = await db
    .select()
    .from(schedules)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(schedules.name));
  const calendarDates = await loadListedCalendars(db, rows);
  const listed = (await withMissingCalendars(db, rows))
    .filter((row) => checkStoredSchedule(row).status === query.health)
    .map((row) => toListed(row, now, calendarDates));
  const keyOf = (item: ListedSchedule): CursorKey =>
    query.sort === "next"
      ? { n: item.schedule.name, t: item.nextFireAt?.getTime() ?? null }
      : { n: item.schedule.name };
  const compare =
    query.sort === "next"
      ? compareNext
      : (a: CursorKey, b: CursorKey) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0);
  listed.sort((a, b) => compare(keyOf(a), keyOf(b)));
  const rest = after ? listed.filter((item) => compare(keyOf(item), after) > 0) : listed;
  const items = query.limit === undefined ? rest : rest.slice(0, query.limit);
  const last = items.at(-1);
  const hasMore = query.limit !== undefined && rest.length > query.limit;
  return { items, nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
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
  const calendarDates = await loadListedCalendars(db, rows);
  return (await withMissingCalendars(db, rows)).map((row) => toListed(row, now, calendarDates));
}
