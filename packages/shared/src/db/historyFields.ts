import type { calendarHistory, scheduleHistory } from "./schema.js";

/**
 * What a history answer shows of an entry after its id and the name it is about, the same for
 * every history table (their columns come from one builder, schema/columns.ts).
 */
export function selectHistoryFields<T extends typeof scheduleHistory | typeof calendarHistory>(table: T) {
  return {
    op: table.op,
    version: table.version,
    actor: table.actor,
    source: table.source,
    note: table.note,
    oldValue: table.oldValue,
    newValue: table.newValue,
    changedAt: table.changedAt,
  };
}
