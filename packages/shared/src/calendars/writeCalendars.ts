import { eq, sql } from "drizzle-orm";
import type { Database, DbHandle } from "../db/client.js";
import { calendars } from "../db/schema.js";
import type { Logger } from "../logging/createLogger.js";
import { SCHEDULE_UPDATES_CHANNEL } from "../messages/names.js";
import type { ScheduleUpdateMessage } from "../messages/scheduleUpdate.js";
import type { ChangeContext } from "../schedules/changeContext.js";
import type { Publisher } from "../schedules/changePublisher.js";
import { withTimeout } from "../support/withTimeout.js";
import {
  CalendarExists,
  CalendarInUse,
  CalendarNotFound,
  CalendarVersionConflict,
  LISTED_USERS,
} from "./calendarErrors.js";
import { isSameCalendar, resolveCalendarCreate, resolveCalendarPatch } from "./calendarFields.js";
import type { Calendar } from "./calendarModel.js";
import { findCalendar, listCalendarUsers } from "./calendarQueries.js";

export interface CalendarWriterDeps {
  db: DbHandle;
  publisher: Publisher;
  log: Logger;
  /** How long a publish may take before the write answers anyway (Redis down must not hang writes). */
  publishTimeoutMs?: number;
}

/** A schedule a calendar change gave a new version, as published. */
export interface TouchedSchedule {
  name: string;
  version: number;
}

export interface CalendarWriteResult {
  calendar: Calendar;
  /** How many schedules name the calendar. */
  usedBy: number;
  /** False when the request matched what was stored: nothing written, nothing published. */
  changed: boolean;
  /** The schedules naming the calendar, each at the version this change gave it. */
  schedules: TouchedSchedule[];
}

export interface CalendarDeleteResult {
  name: string;
  /** The version the delete was recorded at (one past the last stored version). */
  version: number;
}

export type CalendarWriter = ReturnType<typeof createCalendarWriter>;

/** Messages sent before waiting for their replies. */
const PUBLISH_CHUNK = 500;

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * The one write path for calendars, in the schedule write path's shape: one transaction per call,
 * the row locked and compared with the expected version, history and versions by trigger. A
 * calendar's dates are part of every schedule naming it: the trigger bumps each such schedule's
 * version in the same transaction, and this path reads those versions back there, then after
 * COMMIT publishes one `schedule_updates` upsert per schedule, so a calendar edit is live as fast
 * as a schedule edit. A lost publish waits for the scheduler's poll, which also covers raw SQL.
 */
export function createCalendarWriter(deps: CalendarWriterDeps) {
  const { db } = deps.db;
  const publishTimeoutMs = deps.publishTimeoutMs ?? 1000;

  /**
   * One message per touched schedule, sent a chunk at a time without waiting for each reply (the
   * connection pipelines them), so a holiday calendar named by thousands of schedules publishes in
   * a few round trips. A chunk that fails or times out ends the publishing: Redis is out of reach,
   * and the poll applies every change from the database.
   */
  async function publishAll(touched: readonly TouchedSchedule[]): Promise<void> {
    for (let start = 0; start < touched.length; start += PUBLISH_CHUNK) {
      const chunk = touched.slice(start, start + PUBLISH_CHUNK);
      try {
        await withTimeout(
          Promise.all(
            chunk.map(({ name, version }) => {
              const message: ScheduleUpdateMessage = { name, version, op: "upsert" };
              return deps.publisher.publish(SCHEDULE_UPDATES_CHANNEL, JSON.stringify(message));
            }),
          ),
          publishTimeoutMs,
          "publishing the change",
        );
      } catch (error) {
        deps.log.warn(
          { err: error, schedules: touched.length - start },
          "publish failed after a calendar change; the poll will apply it",
        );
        return;
      }
    }
  }

  async function setChangeContext(tx: Tx, ctx: ChangeContext): Promise<void> {
    await tx.execute(
      sql`SELECT set_config('hotbeat.actor', ${ctx.actor}, true), set_config('hotbeat.source', ${ctx.source}, true), set_config('hotbeat.note', ${ctx.note ?? ""}, true)`,
    );
  }

  async function lockCalendar(tx: Tx, name: string, strength: "update" | "no key update") {
    const [row] = await tx.select().from(calendars).where(eq(calendars.name, name)).for(strength);
    if (!row) throw new CalendarNotFound(name);
    return row;
  }

  function checkVersion(row: Calendar, ctx: ChangeContext): void {
    if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== row.version)
      throw new CalendarVersionConflict(row.name, ctx.expectedVersion, row.version);
  }

  async function create(input: unknown, ctx: ChangeContext): Promise<CalendarWriteResult> {
    const draft = resolveCalendarCreate(input);
    const result = await db.transaction(async (tx) => {
      await setChangeContext(tx, ctx);
      const [row] = await tx.insert(calendars).values(draft).onConflictDoNothing().returning();
      if (!row) throw new CalendarExists(draft.name);
      // Rows written by raw SQL may already name it; the insert trigger bumped them.
      const touched = await listCalendarUsers(tx, row.name);
      return { calendar: row, usedBy: touched.length, changed: true, schedules: touched };
    });
    await publishAll(result.schedules);
    return result;
  }

  async function update(name: string, patch: unknown, ctx: ChangeContext): Promise<CalendarWriteResult> {
    const result = await db.transaction(async (tx) => {
      const current = await lockCalendar(tx, name, "no key update");
      checkVersion(current, ctx);
      const draft = resolveCalendarPatch(current, patch);
      if (isSameCalendar(draft, current)) {
        const found = await findCalendar(tx, name);
        return { calendar: current, usedBy: found?.usedBy ?? 0, changed: false, schedules: [] };
      }
      await setChangeContext(tx, ctx);
      const [row] = await tx
        .update(calendars)
        .set({ description: draft.description, dates: draft.dates })
        .where(eq(calendars.name, name))
        .returning();
      const touched = await listCalendarUsers(tx, name);
      return { calendar: row!, usedBy: touched.length, changed: true, schedules: touched };
    });
    await publishAll(result.schedules);
    return result;
  }

  /**
   * Deletes a calendar no schedule names. While one does, the delete is refused: the schedule
   * would silently fire on the dates it meant to skip. Schedule writes take a key-share lock on
   * the calendars they name, so a concurrent save cannot slip a new user past this check.
   */
  async function remove(name: string, ctx: ChangeContext): Promise<CalendarDeleteResult> {
    return db.transaction(async (tx) => {
      const current = await lockCalendar(tx, name, "update");
      checkVersion(current, ctx);
      const found = await findCalendar(tx, name);
      const useCount = found?.usedBy ?? 0;
      if (useCount > 0) {
        const users = await listCalendarUsers(tx, name, LISTED_USERS);
        throw new CalendarInUse(
          name,
          users.map((user) => user.name),
          useCount,
        );
      }
      await setChangeContext(tx, ctx);
      await tx.delete(calendars).where(eq(calendars.name, name));
      return { name, version: current.version + 1 };
    });
  }

  return { create, update, remove };
}
