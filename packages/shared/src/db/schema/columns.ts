import { customType, integer, jsonb, text, timestamp } from "drizzle-orm/pg-core";
import type { ChangeSource, HistoryOp } from "../enums.js";

/** PostgreSQL's 64-bit transaction id, read as a decimal string (see the poller). */
export const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

/** An instant: `timestamptz`, read as a Date. */
export const instant = (name?: string) =>
  name
    ? timestamp(name, { withTimezone: true, mode: "date" })
    : timestamp({ withTimezone: true, mode: "date" });

/**
 * The columns every history table has after its id and the name it is about: the operation, the
 * version it made, who, through what, the old and new row. A function, so that each table gets
 * columns of its own.
 */
export function buildHistoryColumns() {
  return {
    op: text().$type<HistoryOp>().notNull(),
    version: integer().notNull(),
    actor: text().notNull(),
    source: text().$type<ChangeSource>().notNull(),
    note: text(),
    oldValue: jsonb(),
    newValue: jsonb(),
    changedAt: instant().notNull().defaultNow(),
  };
}
