import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { RUN_KINDS, RUN_STATUSES, toSqlList, type RunKind, type RunStatus } from "../enums.js";
import { instant } from "./columns.js";

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

export type RunRow = typeof runs.$inferSelect;
