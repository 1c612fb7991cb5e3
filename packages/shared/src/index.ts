// What the package offers, every export by name (never `export *`, so that this file is the list),
// grouped by what it is about. A module whose names do not fit on one line takes more lines, its
// values before its types.

// Configuration, startup and the process lifecycle
export { DEFAULT_RATE_LIMIT_PER_MINUTE, loadConfig, type Config } from "./config/loadConfig.js";
export { assertPostgresReachable, assertRedisReachable, describeStartupFailure } from "./startup.js";
export { installProcessGuards, prepareServices, ServiceUnreachable } from "./startup.js";
export { exitOnStartupFailure, stopOnSignals, type StopPlan } from "./process/lifecycle.js";

// Errors
export { APP_ERROR_CODES, AppError, ConfigError, InvalidSchedule } from "./errors.js";
export { ScheduleExists, ScheduleNotFound, VersionConflict } from "./errors.js";
export type { AppErrorCode, ErrorDetail } from "./errors.js";

// Database: connection, migrations, tables and the values of enum-like columns
export { createDb, type Database, type DbHandle } from "./db/client.js";
export { ensureDatabase, migrateDatabase, MIGRATIONS_FOLDER } from "./db/migrate.js";
export { isDatabaseUnavailable } from "./db/isDatabaseUnavailable.js";
export { calendarHistory, calendars, runs, scheduleAlertStates } from "./db/schema.js";
export { scheduleCursors, scheduleHistory, scheduleVersions, schedules } from "./db/schema.js";
export type { CalendarHistoryRow, CalendarRow, RunRow, RunStatus } from "./db/schema.js";
export type { ScheduleAlertStateRow, ScheduleHistoryRow, ScheduleRow } from "./db/schema.js";
export { ALERT_EVENTS, HISTORY_OPS, OPEN_ALERT_EVENTS, RUN_KINDS, RUN_STATUSES } from "./db/enums.js";
export type { AlertEvent, HistoryOp, OpenAlertEvent, RunKind } from "./db/enums.js";

// Logging and metrics
export { chooseLogFormat, createLogger, redactUrl } from "./logging/createLogger.js";
export type { LogFormat, Logger } from "./logging/createLogger.js";
export { redactSecrets, redactSecretsInText, serializeError } from "./logging/redactSecrets.js";
export { createMetricsRegistry, LATENCY_BUCKETS_SECONDS } from "./metrics/metricsRegistry.js";
export { METRICS_CONTENT_TYPE, processMetricsRegistry, renderMetrics } from "./metrics/metricsRegistry.js";
export { serveMetrics } from "./metrics/serveMetrics.js";
export { Counter, Gauge, Histogram, type Registry as MetricsRegistry } from "prom-client";

// Messages: channel, queue and key names, and the shapes sent on them
export { ALERTS_QUEUE, ALERT_JOB_NAME, DEFAULT_REDIS_NAMESPACE, RUNS_QUEUE } from "./messages/names.js";
export { RUN_JOB_NAME, SCHEDULE_UPDATES_CHANNEL, leaderLeaseKey } from "./messages/names.js";
export { runJobId, runUpdatesChannel, scheduleAppliedChannel } from "./messages/names.js";
export { schedulerStatusKey, schedulerStatusPattern } from "./messages/names.js";
export { parseScheduleUpdate, scheduleAppliedMessageSchema } from "./messages/scheduleUpdate.js";
export { scheduleUpdateMessageSchema } from "./messages/scheduleUpdate.js";
export type { ScheduleAppliedMessage, ScheduleUpdateMessage } from "./messages/scheduleUpdate.js";
export { SCHEDULER_STATUS_TTL_MS, schedulerStatusSchema } from "./messages/schedulerStatus.js";
export type { SchedulerStatus } from "./messages/schedulerStatus.js";
export { parseRunUpdate, publishRunUpdates, runUpdateMessageSchema } from "./messages/runUpdate.js";
export type { RunUpdateMessage, RunUpdatePublisher } from "./messages/runUpdate.js";
export { readCarriedRow, toCarriedRow } from "./messages/carriedRow.js";
export { runJobDataSchema, type RunJobData } from "./messages/runJob.js";
export { alertBodySchema, alertJobDataSchema, alertTargetSchema } from "./messages/alertJob.js";
export type { AlertBody, AlertJobData, AlertTarget } from "./messages/alertJob.js";

// Schedules: the model, its fields and their validation
export { CHANGE_SOURCES, MAX_PAYLOAD_BYTES, MISFIRE_POLICIES } from "./schedules/model.js";
export { NAME_PATTERN, OVERLAP_POLICIES, PAUSE_MODES, RUN_ALL_CAP } from "./schedules/model.js";
export type { ChangeSource, MisfirePolicy, OverlapPolicy, PauseMode } from "./schedules/model.js";
export type { Schedule, ScheduleDefinition, ScheduleTiming } from "./schedules/model.js";
export { toScheduleJson, type ScheduleJson } from "./schedules/scheduleJson.js";
export { isSupportedInstant, READ_ONLY_FIELDS } from "./schedules/scheduleFields.js";
export { UNSUPPORTED_INSTANT_MESSAGE, scheduleCreateSchema } from "./schedules/scheduleFields.js";
export { scheduleFieldsSchema, schedulePatchSchema } from "./schedules/scheduleFields.js";
export { resolveCreate, resolvePatch, toDraft, toErrorDetails, toTiming } from "./schedules/validation.js";
export type { ScheduleDraft } from "./schedules/validation.js";
export { describeUnstorableString, findUnstorableValue, MAX_JSON_DEPTH } from "./schedules/storableJson.js";
export { DEFAULT_ALERT_AFTER_FAILURES, scheduleAlertSchema, type ScheduleAlert } from "./schedules/alert.js";
export { MAX_LABELS, findLabelKeyProblem, findLabelValueProblem, labelsSchema } from "./schedules/labels.js";
export { MAX_DATE_ENTRIES, compileDateSet, dateSetSchema } from "./schedules/dateSet.js";
export { findDateEntryProblem, toDayNumber } from "./schedules/dateSet.js";
export type { DateSetMatcher } from "./schedules/dateSet.js";
export { isValidTimeZone } from "./schedules/timeZones.js";

// Schedules: cron, fire times and their descriptions
export { parseCron, type ParsedCron } from "./schedules/cron.js";
export { holdParsedCrons } from "./schedules/cronCache.js";
export { CRON_MACROS, expandCronMacro } from "@hotbeat/cron-macros";
export type { CronDays, DayOfMonthRule } from "./schedules/cronDays.js";
export { computeFireTimesBetween, computeNextFireTime, computeNextFireTimes } from "./schedules/fireTimes.js";
export { describeCron, describeSchedule, type DescribableTiming } from "./schedules/describeSchedule.js";
export { describeFireTime, type FireTimeDescription } from "./schedules/describeFireTime.js";
export { MAX_LISTED_PASSED_OVER, listPreviewInstants } from "./schedules/previewInstants.js";
export type { PreviewInstant, PreviewInstants } from "./schedules/previewInstants.js";
export { BACKFILL_CAP, BACKFILL_COUNT_LIMIT, listBackfillInstants } from "./schedules/backfillInstants.js";
export type { BackfillInstant, BackfillRange } from "./schedules/backfillInstants.js";

// Schedules: excluded dates
export { compileExclusions, describeExclusion, findExclusionAt } from "./schedules/exclusions.js";
export { isExcludedAt, labelExclusion, toLocalDate } from "./schedules/exclusions.js";
export type { CalendarDates, Exclusion, ExclusionMatcher } from "./schedules/exclusions.js";
export { loadCalendarDates, loadExclusions, type LoadedExclusions } from "./schedules/loadExclusions.js";

// Schedules: reading, health and the write path
export { findSchedule, getSchedule, listScheduleHistory } from "./schedules/queries.js";
export { listSchedules, withMissingCalendars } from "./schedules/queries.js";
export { SCHEDULE_SORTS, listSchedulesByName, listSchedulesPage } from "./schedules/listSchedulesPage.js";
export type { ListedSchedule, SchedulePage } from "./schedules/listSchedulesPage.js";
export type { SchedulePageQuery, ScheduleSort } from "./schedules/listSchedulesPage.js";
export { MAX_LABEL_REQUIREMENTS } from "./schedules/labelSelector.js";
export { matchesLabelSelector, parseLabelSelector } from "./schedules/labelSelector.js";
export type { LabelRequirement } from "./schedules/labelSelector.js";
export { checkStoredSchedule, findStoredProblems } from "./schedules/storedHealth.js";
export type { ScheduleHealth, StoredSchedule } from "./schedules/storedHealth.js";
export { checkScheduleRow, checkTiming } from "./schedules/timingHealth.js";
export { computeScheduleWarnings } from "./schedules/warnings.js";
export { createScheduleWriter } from "./schedules/scheduleWriter.js";
export type {
  DeleteResult,
  ScheduleWriter,
  ScheduleWriterDeps,
  WriteResult,
} from "./schedules/scheduleWriter.js";
export type { ChangeContext } from "./schedules/changeContext.js";
export type { Publisher } from "./schedules/changePublisher.js";
export type { ImportOutcome } from "./schedules/importSchedules.js";

// Calendars
export { CalendarExists, CalendarInUse, CalendarNotFound } from "./calendars/calendarErrors.js";
export { CalendarVersionConflict, InvalidCalendar, LISTED_USERS } from "./calendars/calendarErrors.js";
export { CALENDAR_READ_ONLY_FIELDS, calendarCreateSchema } from "./calendars/calendarFields.js";
export { calendarFieldsSchema, calendarPatchSchema } from "./calendars/calendarFields.js";
export { resolveCalendarCreate, resolveCalendarPatch } from "./calendars/calendarFields.js";
export type { CalendarDraft } from "./calendars/calendarFields.js";
export { toCalendarJson, type Calendar, type CalendarJson } from "./calendars/calendarModel.js";
export { findCalendar, findMissingCalendars } from "./calendars/calendarQueries.js";
export { getCalendar, listCalendarHistory, listCalendars } from "./calendars/calendarQueries.js";
export { listCalendarsByName, listCalendarUsers } from "./calendars/calendarQueries.js";
export type { CalendarReader, CalendarWithUse } from "./calendars/calendarQueries.js";
export { createCalendarWriter } from "./calendars/writeCalendars.js";
export type { CalendarDeleteResult, CalendarWriter } from "./calendars/writeCalendars.js";
export type { CalendarWriterDeps, CalendarWriteResult, TouchedSchedule } from "./calendars/writeCalendars.js";

// Runs: the ledger, the queue and the handshake between them
export { recordRun, recordRuns, type FireToRecord, type RecordRunInput } from "./runs/recordRuns.js";
export { LEDGER_CHUNK_SIZE } from "./runs/ledgerChunks.js";
export { RUN_JOB_OPTIONS, enqueueRun, enqueueRuns, toRunJobData } from "./runs/enqueue.js";
export { dispatchRuns } from "./runs/dispatchRuns.js";
export type { DispatchDeps, DispatchResult, RunSpec, RunToDispatch } from "./runs/dispatchRuns.js";
export { markEnqueued, markEnqueuedMany } from "./runs/markEnqueued.js";
export { findRunsToEnqueuePage } from "./runs/findRunsToEnqueuePage.js";
export { deleteRunsAhead, findRunsAhead } from "./runs/runsAhead.js";
export { findActiveRunNames } from "./runs/findActiveRunNames.js";
export { loadCursors, saveCursor, saveCursors } from "./runs/cursors.js";
export { claimRun, finishRun, recordAttemptFailure } from "./runs/execution.js";
export { FINISHED_RUN_STATUSES, MAX_RUN_ERROR_LENGTH } from "./runs/execution.js";
export type { RunOutcome } from "./runs/execution.js";
export {
  claimRuns,
  finishRuns,
  warmRunStatements,
  type RunClaim,
  type RunFinish,
} from "./runs/executionBatch.js";
export { toStorableJson, toStorableText, truncateText, type RewrittenResult } from "./runs/storable.js";
export { findScheduledRun, findScheduledRuns, listRuns, summarizeScheduleRuns } from "./runs/queries.js";
export type { RunFilter, ScheduleRunSummary } from "./runs/queries.js";
export { describeHandSkip, listHandSkips, recordHandSkip, removeHandSkip } from "./runs/handSkips.js";
export { loadLastRuns, type LastRun } from "./runs/loadLastRuns.js";
export { reopenMissedRuns } from "./runs/reopenMissedRuns.js";

// Alerts
export { DEFAULT_ALERT_ENQUEUE_TIMEOUT_MS, type AlertDeps } from "./alerts/alertDeps.js";
export { readAlertSettings, resolveAlert } from "./alerts/alertSettings.js";
export type { AlertSettings, ResolvedAlert } from "./alerts/alertSettings.js";
export { buildAlertJob, type AlertCause } from "./alerts/buildAlertJob.js";
export { decideOutcomeAlert } from "./alerts/decideOutcomeAlert.js";
export type { FinishedRun, OpenAlert, OutcomeAlert } from "./alerts/decideOutcomeAlert.js";
export { ALERT_JOB_OPTIONS, enqueueAlert } from "./alerts/enqueueAlert.js";
export { noteMissedFires } from "./alerts/noteMissedFires.js";
export { noteRunOutcomes } from "./alerts/noteRunOutcomes.js";

// Support
export { TimeoutError, withTimeout } from "./support/withTimeout.js";
export { parseJsonWith } from "./support/parseJsonWith.js";
export { FORBIDDEN_KEYS, findForbiddenKey } from "./support/forbiddenKeys.js";
export { CONNECTION_HEADERS, findUnsendableHeaders } from "./http/unsendableHeaders.js";
export type { UnsendableHeader } from "./http/unsendableHeaders.js";
