import { sql, type SQL } from "drizzle-orm";

// The values of the enum-like text columns, each written once: the TypeScript types and the
// CHECK constraints of the schema are both derived from these arrays.

export const MISFIRE_POLICIES = ["skip", "run_once", "run_all"] as const;
/** What a scheduler does with the fires it missed while down (README, "Guarantees"). */
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

export const OVERLAP_POLICIES = ["allow", "skip"] as const;
/** Whether a fire runs while the schedule's previous run is still unfinished. */
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/**
 * Where a change came from, as recorded in history (README, "Guarantees"). `scheduler` is hotbeat
 * itself: a pause that lifts at its `pausedUntil` instant.
 */
export const CHANGE_SOURCES = ["api", "cli", "ui", "import", "sql", "scheduler"] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export const PAUSE_MODES = ["skip", "catch_up"] as const;
/**
 * What a pause with `pausedUntil` does with the fires it covers once it lifts: record them as
 * skipped, or hand them to the misfire policy as if the scheduler had been down.
 */
export type PauseMode = (typeof PAUSE_MODES)[number];

export const HISTORY_OPS = ["insert", "update", "delete"] as const;
/** The kind of change a history row records. */
export type HistoryOp = (typeof HISTORY_OPS)[number];

export const RUN_KINDS = ["schedule", "manual"] as const;
/** A run fired by its schedule, or triggered by hand. */
export type RunKind = (typeof RUN_KINDS)[number];

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "skipped", "missed"] as const;
/** Where a run is in its life; `skipped` and `missed` are final at birth. */
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ALERT_EVENTS = ["missed", "failing", "recovered"] as const;
/** Why a schedule's alert target is called: a fire missed, runs failing in a row, or a recovery after either. */
export type AlertEvent = (typeof ALERT_EVENTS)[number];
/** The alerts that leave a schedule waiting for its recovery alert. */
export const OPEN_ALERT_EVENTS = ["missed", "failing"] as const satisfies readonly AlertEvent[];
export type OpenAlertEvent = (typeof OPEN_ALERT_EVENTS)[number];

/** `('a', 'b')`: the list a CHECK constraint's IN compares with. The values are constants above. */
export function toSqlList(values: readonly string[]): SQL {
  return sql.raw(`(${values.map((value) => `'${value}'`).join(", ")})`);
}
