import { and, asc, gt, gte, inArray, sql } from "drizzle-orm";
import {
  loadCalendarDates,
  scheduleHistory,
  scheduleVersions,
  schedules,
  type CalendarDates,
  type Database,
  type Schedule,
} from "@hotbeat/shared";
import { PackedSchedule } from "../timeline/packedSchedule.js";

/** A position in PostgreSQL's transaction order: every change at or after it is still to be read. */
export type Watermark = string;

/** The calendars the loaded rows name, by calendar name, read in the rows' own snapshot. */
export type CalendarsByName = ReadonlyMap<string, CalendarDates>;

export interface ChangeSet {
  /** Each changed schedule's latest version (a delete's version included) and its row, if it still exists. */
  changes: Array<{ name: string; version: number; row: Schedule | undefined }>;
  calendars: CalendarsByName;
  watermark: Watermark;
}

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * The calendars `rows` name, from the same snapshot as the rows: a calendar change bumps the
 * version of every schedule naming it in its own transaction, so a row and the dates it is
 * applied with always belong together.
 */
async function loadCalendarsOf(tx: Tx, rows: readonly Schedule[]): Promise<CalendarsByName> {
  const names = rows.flatMap((row) => (Array.isArray(row.calendars) ? row.calendars : []));
  const found = await loadCalendarDates(tx, names);
  return new Map(found.map((calendar) => [calendar.name, calendar]));
}

/** The calendars of `row` among those loaded with it. */
export function calendarsFor(row: Schedule | undefined, calendars: CalendarsByName): CalendarDates[] {
  if (!row || !Array.isArray(row.calendars)) return [];
  return row.calendars.flatMap((name) => calendars.get(name) ?? []);
}

const SNAPSHOT = { isolationLevel: "repeatable read", accessMode: "read only" } as const;

// The oldest transaction still running when the snapshot was taken. Anything that commits later
// has an xid at or after it, even if it took its xid long before a younger transaction that
// committed first: reading `txid >= xmin` next time cannot miss an out-of-order commit, which a
// watermark on a sequence or a timestamp would (they are assigned before commit, not at it).
async function readXmin(tx: Pick<Database, "execute">): Promise<Watermark> {
  const [row] = await tx.execute<{ xmin: string }>(
    sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
  );
  return row!.xmin;
}

/**
 * Rows per page of the full load: a page is read, packed and let go before the next one, and the
 * driver maps a page's rows in one go, so a page is also the longest the event loop waits.
 */
const LOAD_PAGE_SIZE = 1000;

/**
 * Every enabled schedule, every paused one that resumes by itself (`paused_until` set), the
 * calendars they name and the watermark, all from one snapshot, for a full (re)load. Read in
 * pages by name (the primary key's order) inside the snapshot, each row packed as it arrives
 * (see PackedSchedule): a million rows as the driver builds them would take gigabytes at once,
 * and one result that large would hold the event loop while it is parsed.
 */
export async function loadEnabledSchedules(
  db: Database,
): Promise<{ rows: Schedule[]; calendars: CalendarsByName; watermark: Watermark }> {
  return db.transaction(async (tx) => {
    const watermark = await readXmin(tx);
    const rows: Schedule[] = [];
    const calendarNames = new Set<string>();
    for (let afterName: string | undefined; ;) {
      const page = await tx
        .select()
        .from(schedules)
        .where(
          and(
            sql`(${schedules.enabled} OR ${schedules.pausedUntil} IS NOT NULL)`,
            afterName === undefined ? undefined : gt(schedules.name, afterName),
          ),
        )
        .orderBy(asc(schedules.name))
        .limit(LOAD_PAGE_SIZE);
      for (const row of page) {
        rows.push(PackedSchedule.from(row));
        if (Array.isArray(row.calendars)) for (const name of row.calendars) calendarNames.add(name);
      }
      if (page.length < LOAD_PAGE_SIZE) break;
      afterName = page.at(-1)!.name;
    }
    const found = await loadCalendarDates(tx, [...calendarNames]);
    return { rows, calendars: new Map(found.map((calendar) => [calendar.name, calendar])), watermark };
  }, SNAPSHOT);
}

/**
 * The schedules changed by any transaction at or after `since` (by history, so raw SQL edits and
 * deletes are found too), their rows, and the next watermark, all from one snapshot. Cost is
 * proportional to what changed, through the index on `schedule_history.txid`, not to the number
 * of schedules. A change may be read twice; applying by version makes that harmless.
 */
export async function loadChangesSince(db: Database, since: Watermark): Promise<ChangeSet> {
  return db.transaction(async (tx) => {
    const watermark = await readXmin(tx);
    const changed = await tx
      .select({
        name: scheduleHistory.scheduleName,
        version: sql<number>`max(${scheduleHistory.version})::int`,
      })
      .from(scheduleHistory)
      .where(gte(scheduleHistory.txid, sql`${since}::xid8`))
      .groupBy(scheduleHistory.scheduleName);
    if (changed.length === 0) return { changes: [], calendars: new Map(), watermark };
    const rows = await tx
      .select()
      .from(schedules)
      .where(
        inArray(
          schedules.name,
          changed.map((c) => c.name),
        ),
      );
    const byName = new Map(rows.map((row) => [row.name, row]));
    return {
      changes: changed.map((c) => ({ name: c.name, version: c.version, row: byName.get(c.name) })),
      calendars: await loadCalendarsOf(tx, rows),
      watermark,
    };
  }, SNAPSHOT);
}

/**
 * Schedules and their versions, from one snapshot, for the messages that arrived together. When a
 * row is gone its version is the last its name reached (a delete's, or later), and 0 for a name this
 * database never had (a message of another deployment on the shared channel), so a disappearance
 * is ordered against the loads that raced it like any other change.
 */
export async function loadSchedulesByName(
  db: Database,
  names: string[],
): Promise<Map<string, { row: Schedule | undefined; version: number; calendars: CalendarDates[] }>> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(schedules).where(inArray(schedules.name, names));
    const calendars = await loadCalendarsOf(tx, rows);
    const loaded = new Map<
      string,
      { row: Schedule | undefined; version: number; calendars: CalendarDates[] }
    >(rows.map((row) => [row.name, { row, version: row.version, calendars: calendarsFor(row, calendars) }]));
    const missing = names.filter((name) => !loaded.has(name));
    if (missing.length > 0) {
      // The version counter, not the history: history may have been pruned by a retention job.
      const last = await tx
        .select({ name: scheduleVersions.scheduleName, version: scheduleVersions.lastVersion })
        .from(scheduleVersions)
        .where(inArray(scheduleVersions.scheduleName, missing));
      const versions = new Map(last.map((l) => [l.name, l.version]));
      for (const name of missing)
        loaded.set(name, { row: undefined, version: versions.get(name) ?? 0, calendars: [] });
    }
    return loaded;
  }, SNAPSHOT);
}

/** Rows per page of the poll's read of every enabled schedule's version (two narrow columns). */
const VERSION_PAGE_SIZE = 10_000;

/**
 * The name and version of every enabled schedule, page by page in name order from one snapshot,
 * each page handed to `onPage` before the next is read: what the poll compares with what it
 * holds, so a row that vanished without a history row (`TRUNCATE`, an edit with triggers
 * disabled) is still noticed. In pages because at a million schedules one result, and one map
 * built from it, held the event loop for a quarter of a second every poll.
 */
export async function readEnabledVersions(
  db: Database,
  onPage: (page: ReadonlyArray<{ name: string; version: number }>) => Promise<void>,
  pageSize = VERSION_PAGE_SIZE,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (let afterName: string | undefined; ;) {
      const page = await tx
        .select({ name: schedules.name, version: schedules.version })
        .from(schedules)
        .where(
          and(sql`${schedules.enabled}`, afterName === undefined ? undefined : gt(schedules.name, afterName)),
        )
        .orderBy(asc(schedules.name))
        .limit(pageSize);
      await onPage(page);
      if (page.length < pageSize) return;
      afterName = page.at(-1)!.name;
    }
  }, SNAPSHOT);
}

// What a new leader and an ending pause read of the history and the cursors lives beside.
export {
  loadHistoryAfter,
  loadLastDisabledAt,
  loadLastEnabledAt,
  loadStoredCursor,
} from "./historySource.js";
