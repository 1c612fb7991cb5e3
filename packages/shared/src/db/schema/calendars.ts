import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { HISTORY_OPS, toSqlList } from "../enums.js";
import { buildHistoryColumns, instant } from "./columns.js";

/**
 * Shared named sets of dates (`vn-public-holidays`) that schedules exclude by name. `version`,
 * `updated_at` and the history row are kept by triggers, as for schedules; a change to a calendar
 * bumps `calendar_revision` of every schedule naming it, so it is a versioned change of each.
 */
export const calendars = pgTable(
  "calendars",
  {
    name: text().primaryKey(),
    description: text().notNull().default(""),
    /** Dates (`YYYY-MM-DD`) and inclusive ranges (`YYYY-MM-DD/YYYY-MM-DD`). */
    dates: jsonb().$type<string[]>().notNull().default([]),
    version: integer().notNull().default(1),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
    updatedBy: text().notNull().default("unknown"),
  },
  (t) => [
    check("calendars_name_format", sql`${t.name} ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'`),
    check("calendars_dates_array", sql`jsonb_typeof(${t.dates}) = 'array'`),
  ],
);

/** Every change to `calendars`, written by trigger. */
export const calendarHistory = pgTable(
  "calendar_history",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    calendarName: text().notNull(),
    ...buildHistoryColumns(),
  },
  (t) => [
    index("calendar_history_name_idx").on(t.calendarName, t.id),
    check("calendar_history_op", sql`${t.op} IN ${toSqlList(HISTORY_OPS)}`),
  ],
);

export type CalendarRow = typeof calendars.$inferSelect;
export type CalendarHistoryRow = typeof calendarHistory.$inferSelect;
