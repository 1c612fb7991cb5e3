import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { ScheduleAlert } from "../../schedules/alert.js";
import {
  HISTORY_OPS,
  MISFIRE_POLICIES,
  OVERLAP_POLICIES,
  PAUSE_MODES,
  toSqlList,
  type MisfirePolicy,
  type OverlapPolicy,
  type PauseMode,
} from "../enums.js";
import { buildHistoryColumns, instant, xid8 } from "./columns.js";

/**
 * One row per schedule. `version`, `updated_at`, `interval_anchor_at` and the history row are
 * maintained by triggers (see the migrations), so a raw SQL edit is versioned like any other.
 */
export const schedules = pgTable(
  "schedules",
  {
    name: text().primaryKey(),
    task: text().notNull(),
    description: text().notNull().default(""),
    cron: text(),
    intervalSeconds: integer(),
    runAt: instant(),
    timezone: text().notNull().default("UTC"),
    payload: jsonb().notNull().default({}),
    enabled: boolean().notNull().default(true),
    startAt: instant(),
    endAt: instant(),
    misfirePolicy: text().$type<MisfirePolicy>().notNull().default("run_once"),
    misfireGraceSeconds: integer().notNull().default(300),
    overlapPolicy: text().$type<OverlapPolicy>().notNull().default("allow"),
    jitterSeconds: integer().notNull().default(0),
    /** Kubernetes-style labels, `{ "team": "finance" }`; selected with `@>` through a GIN index. */
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Dates (`YYYY-MM-DD`) and ranges (`YYYY-MM-DD/YYYY-MM-DD`, inclusive), in the zone, not fired. */
    exclude: jsonb().$type<string[]>().notNull().default([]),
    /** Names of rows of `calendars` whose dates are excluded too. */
    calendars: jsonb().$type<string[]>().notNull().default([]),
    /** Bumped by the calendars trigger when a calendar this schedule names changes: a change to it. */
    calendarRevision: integer().notNull().default(0),
    /** With `enabled = false`: the instant at which the scheduler turns the schedule back on. */
    pausedUntil: instant(),
    pauseMode: text().$type<PauseMode>().notNull().default("skip"),
    /** Who is told when a fire is missed, when runs keep failing, and when it recovers. */
    alert: jsonb().$type<ScheduleAlert>(),
    version: integer().notNull().default(1),
    /** Where an interval schedule counts from when it has no startAt: the last change to its interval. */
    intervalAnchorAt: instant(),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
    updatedBy: text().notNull().default("unknown"),
  },
  (t) => [
    check("schedules_one_kind", sql`num_nonnulls(${t.cron}, ${t.intervalSeconds}, ${t.runAt}) = 1`),
    check("schedules_name_format", sql`${t.name} ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'`),
    check("schedules_interval_positive", sql`${t.intervalSeconds} IS NULL OR ${t.intervalSeconds} >= 1`),
    check("schedules_misfire_policy", sql`${t.misfirePolicy} IN ${toSqlList(MISFIRE_POLICIES)}`),
    check("schedules_overlap_policy", sql`${t.overlapPolicy} IN ${toSqlList(OVERLAP_POLICIES)}`),
    check("schedules_non_negative", sql`${t.misfireGraceSeconds} >= 0 AND ${t.jitterSeconds} >= 0`),
    check("schedules_window", sql`${t.startAt} IS NULL OR ${t.endAt} IS NULL OR ${t.startAt} < ${t.endAt}`),
    check("schedules_pause_mode", sql`${t.pauseMode} IN ${toSqlList(PAUSE_MODES)}`),
    check("schedules_labels_object", sql`jsonb_typeof(${t.labels}) = 'object'`),
    check("schedules_exclude_array", sql`jsonb_typeof(${t.exclude}) = 'array'`),
    check("schedules_calendars_array", sql`jsonb_typeof(${t.calendars}) = 'array'`),
    index("schedules_enabled_idx").on(t.enabled),
    index("schedules_labels_idx").using("gin", t.labels),
    index("schedules_calendars_idx").using("gin", t.calendars),
  ],
);

/** Every change to `schedules`, written by trigger: who, when, through what, old and new row. */
export const scheduleHistory = pgTable(
  "schedule_history",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    scheduleName: text().notNull(),
    ...buildHistoryColumns(),
    /** The writing transaction; the poller reads changes by it, safe against out-of-order commits. */
    txid: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index("schedule_history_name_idx").on(t.scheduleName, t.id),
    index("schedule_history_txid_idx").on(t.txid),
    check("schedule_history_op", sql`${t.op} IN ${toSqlList(HISTORY_OPS)}`),
  ],
);

/**
 * The last version each schedule name has reached, kept by the triggers beside `schedules`, so that
 * versions stay monotonic across delete and re-create even when old history rows are pruned.
 */
export const scheduleVersions = pgTable("schedule_versions", {
  scheduleName: text().primaryKey(),
  lastVersion: integer().notNull(),
});

export type ScheduleRow = typeof schedules.$inferSelect;
export type ScheduleHistoryRow = typeof scheduleHistory.$inferSelect;
