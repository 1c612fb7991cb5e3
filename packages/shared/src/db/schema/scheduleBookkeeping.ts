import { sql } from "drizzle-orm";
import { check, pgTable, text } from "drizzle-orm/pg-core";
import { OPEN_ALERT_EVENTS, toSqlList, type OpenAlertEvent } from "../enums.js";
import { instant } from "./columns.js";

/**
 * Per-schedule bookkeeping of the scheduler, kept apart from the definition so that firing never
 * bumps a schedule's version: the last fire instant the timeline has dealt with.
 */
export const scheduleCursors = pgTable("schedule_cursors", {
  scheduleName: text().primaryKey(),
  lastFireAt: instant().notNull(),
  updatedAt: instant().notNull().defaultNow(),
});

/**
 * Per-schedule bookkeeping of alerts, apart from the definition like the cursors: which alert is
 * waiting for its recovery alert. Consecutive failures are not counted here but read from the run
 * ledger each time, so a count lost to a crash heals at the next run. No foreign key: a
 * `TRUNCATE schedules` must keep working; a row left by a deleted schedule is ignored by the
 * schedule created later under its name (`opened_at` before its `created_at`).
 */
export const scheduleAlertStates = pgTable(
  "schedule_alert_states",
  {
    scheduleName: text().primaryKey(),
    /** The alert sent that the next succeeded run answers with `recovered`; null when none is. */
    openEvent: text().$type<OpenAlertEvent>(),
    openedAt: instant(),
    /** The idempotency key of the last alert raised for this schedule. */
    lastAlertKey: text(),
    updatedAt: instant().notNull().defaultNow(),
  },
  (t) => [
    check(
      "schedule_alert_states_open_event",
      sql`${t.openEvent} IS NULL OR ${t.openEvent} IN ${toSqlList(OPEN_ALERT_EVENTS)}`,
    ),
  ],
);

export type ScheduleAlertStateRow = typeof scheduleAlertStates.$inferSelect;
