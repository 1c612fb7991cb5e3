import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { ScheduleAlert } from "../schedules/alert.js";
import {
  HISTORY_OPS,
  MISFIRE_POLICIES,
  OPEN_ALERT_EVENTS,
  OVERLAP_POLICIES,
  PAUSE_MODES,
  RUN_KINDS,
  RUN_STATUSES,
  toSqlList,
  type ChangeSource,
  type HistoryOp,
  type MisfirePolicy,
  type OpenAlertEvent,
  type OverlapPolicy,
  type PauseMode,
  type RunKind,
  type RunStatus,
} from "./enums.js";

/** PostgreSQL's 64-bit transaction id, read as a decimal string (see the poller). */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

const instant = (name?: string) =>
  name
    ? timestamp(name, { withTimezone: true, mode: "date" })
    : timestamp({ withTimezone: true, mode: "date" });

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
    op: text().$type<HistoryOp>().notNull(),
    version: integer().notNull(),
    actor: text().notNull(),
    source: text().$type<ChangeSource>().notNull(),
    note: text(),
    oldValue: jsonb(),
    newValue: jsonb(),
    changedAt: instant().notNull().defaultNow(),
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
    op: text().$type<HistoryOp>().notNull(),
    version: integer().notNull(),
    actor: text().notNull(),
    source: text().$type<ChangeSource>().notNull(),
    note: text(),
    oldValue: jsonb(),
    newValue: jsonb(),
    changedAt: instant().notNull().defaultNow(),
  },
  (t) => [
    index("calendar_history_name_idx").on(t.calendarName, t.id),
    check("calendar_history_op", sql`${t.op} IN ${toSqlList(HISTORY_OPS)}`),
  ],
);

/**
 * The run ledger: one row per (schedule, fire instant). The partial unique index is what makes
 * "exactly one run per fire" true across any number of schedulers; manual triggers sit beside it.
 */
export const runs = pgTable(
  "runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    scheduleName: text().notNull(),
    task: text().notNull(),
    kind: text().$type<RunKind>().notNull().default("schedule"),
    scheduledAt: instant().notNull(),
    payload: jsonb().notNull().default({}),
    scheduleVersion: integer().notNull(),
    status: text().$type<RunStatus>().notNull().default("queued"),
    attempt: integer().notNull().default(0),
    createdAt: instant().notNull().defaultNow(),
    enqueuedAt: instant(),
    startedAt: instant(),
    finishedAt: instant(),
    error: text(),
    result: jsonb(),
  },
  (t) => [
    uniqueIndex("runs_schedule_fire_unique")
      .on(t.scheduleName, t.scheduledAt)
      .where(sql`${t.kind} = 'schedule'`),
    index("runs_schedule_created_idx").on(t.scheduleName, t.createdAt),
    index("runs_created_idx").on(t.createdAt),
    index("runs_unfinished_idx")
      .on(t.status)
      .where(sql`${t.status} IN ('queued', 'running')`),
    check("runs_kind", sql`${t.kind} IN ${toSqlList(RUN_KINDS)}`),
    check("runs_status", sql`${t.status} IN ${toSqlList(RUN_STATUSES)}`),
  ],
);

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

export type ScheduleRow = typeof schedules.$inferSelect;
export type ScheduleHistoryRow = typeof scheduleHistory.$inferSelect;
export type CalendarRow = typeof calendars.$inferSelect;
export type CalendarHistoryRow = typeof calendarHistory.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type ScheduleAlertStateRow = typeof scheduleAlertStates.$inferSelect;
export type { RunStatus } from "./enums.js";
