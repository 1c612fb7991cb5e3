// The tables, one file per group under schema/; drizzle-kit reads this file (drizzle.config.ts), so
// every table it should know of is exported here.
export { calendarHistory, calendars, type CalendarHistoryRow, type CalendarRow } from "./schema/calendars.js";
export { runs, type RunRow } from "./schema/runs.js";
export {
  scheduleAlertStates,
  scheduleCursors,
  type ScheduleAlertStateRow,
} from "./schema/scheduleBookkeeping.js";
export {
  scheduleHistory,
  scheduleVersions,
  schedules,
  type ScheduleHistoryRow,
  type ScheduleRow,
} from "./schema/schedules.js";
export type { RunStatus } from "./enums.js";
