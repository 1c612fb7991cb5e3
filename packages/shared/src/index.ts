export { DEFAULT_RATE_LIMIT_PER_MINUTE, loadConfig, type Config } from "./config/loadConfig.js";
export { createDb, type Database, type DbHandle } from "./db/client.js";
export { ensureDatabase, migrateDatabase, MIGRATIONS_FOLDER } from "./db/migrate.js";
export {
  calendarHistory,
  calendars,
  runs,
  scheduleAlertStates,
  scheduleCursors,
  scheduleHistory,
  scheduleVersions,
  schedules,
  type CalendarHistoryRow,
  type CalendarRow,
  type RunRow,
  type RunStatus,
  type ScheduleAlertStateRow,
  type ScheduleHistoryRow,
  type ScheduleRow,
} from "./db/schema.js";
export {
  APP_ERROR_CODES,
  AppError,
  ConfigError,
  InvalidSchedule,
  ScheduleExists,
  ScheduleNotFound,
  VersionConflict,
  type AppErrorCode,
  type ErrorDetail,
} from "./errors.js";
export {
  chooseLogFormat,
  createLogger,
  redactUrl,
  type LogFormat,
  type Logger,
} from "./logging/createLogger.js";
export { redactSecrets, redactSecretsInText, serializeError } from "./logging/redactSecrets.js";
export {
  createMetricsRegistry,
  LATENCY_BUCKETS_SECONDS,
  METRICS_CONTENT_TYPE,
  processMetricsRegistry,
  renderMetrics,
} from "./metrics/metricsRegistry.js";
export { serveMetrics } from "./metrics/serveMetrics.js";
export { Counter, Gauge, Histogram, type Registry as MetricsRegistry } from "prom-client";
export { isDatabaseUnavailable } from "./db/isDatabaseUnavailable.js";
export { describeUnstorableString, findUnstorableValue, MAX_JSON_DEPTH } from "./schedules/storableJson.js";
export {
  ALERTS_QUEUE,
  ALERT_JOB_NAME,
  DEFAULT_REDIS_NAMESPACE,
  RUNS_QUEUE,
  RUN_JOB_NAME,
  SCHEDULE_UPDATES_CHANNEL,
  leaderLeaseKey,
  runJobId,
  runUpdatesChannel,
  scheduleAppliedChannel,
  schedulerStatusKey,
  schedulerStatusPattern,
} from "./messages/names.js";
export {
  SCHEDULER_STATUS_TTL_MS,
  schedulerStatusSchema,
  type SchedulerStatus,
} from "./messages/schedulerStatus.js";
export {
  parseRunUpdate,
  publishRunUpdates,
  runUpdateMessageSchema,
  type RunUpdateMessage,
  type RunUpdatePublisher,
} from "./messages/runUpdate.js";
export { runJobDataSchema, type RunJobData } from "./messages/runJob.js";
export {
  alertBodySchema,
  alertJobDataSchema,
  alertTargetSchema,
  type AlertBody,
  type AlertJobData,
  type AlertTarget,
} from "./messages/alertJob.js";
export { DEFAULT_ALERT_ENQUEUE_TIMEOUT_MS, type AlertDeps } from "./alerts/alertDeps.js";
export {
  readAlertSettings,
  resolveAlert,
  type AlertSettings,
  type ResolvedAlert,
} from "./alerts/alertSettings.js";
export { buildAlertJob, type AlertCause } from "./alerts/buildAlertJob.js";
export {
  decideOutcomeAlert,
  type FinishedRun,
  type OpenAlert,
  type OutcomeAlert,
} from "./alerts/decideOutcomeAlert.js";
export { ALERT_JOB_OPTIONS, enqueueAlert } from "./alerts/enqueueAlert.js";
export { noteMissedFires } from "./alerts/noteMissedFires.js";
export { noteRunOutcomes } from "./alerts/noteRunOutcomes.js";
export {
  parseScheduleUpdate,
  scheduleAppliedMessageSchema,
  scheduleUpdateMessageSchema,
  type ScheduleAppliedMessage,
  type ScheduleUpdateMessage,
} from "./messages/scheduleUpdate.js";
export {
  claimRun,
  finishRun,
  recordAttemptFailure,
  FINISHED_RUN_STATUSES,
  MAX_RUN_ERROR_LENGTH,
  type RunOutcome,
} from "./runs/execution.js";
export { claimRuns, finishRuns, type RunClaim, type RunFinish } from "./runs/executionBatch.js";
export { toStorableJson, toStorableText, truncateText, type RewrittenResult } from "./runs/storable.js";
export {
  CONNECTION_HEADERS,
  findUnsendableHeaders,
  type UnsendableHeader,
} from "./http/unsendableHeaders.js";
export {
  findScheduledRun,
  findScheduledRuns,
  listRuns,
  summarizeScheduleRuns,
  type RunFilter,
  type ScheduleRunSummary,
} from "./runs/queries.js";
export { describeHandSkip, listHandSkips, recordHandSkip, removeHandSkip } from "./runs/handSkips.js";
export { reopenMissedRuns } from "./runs/reopenMissedRuns.js";
export { RUN_JOB_OPTIONS, enqueueRun, enqueueRuns, toRunJobData } from "./runs/enqueue.js";
export {
  dispatchRuns,
  type DispatchDeps,
  type DispatchResult,
  type RunSpec,
  type RunToDispatch,
} from "./runs/dispatchRuns.js";
export { LEDGER_CHUNK_SIZE } from "./runs/ledgerChunks.js";
export { recordRun, recordRuns, type FireToRecord, type RecordRunInput } from "./runs/recordRuns.js";
export { markEnqueued, markEnqueuedMany } from "./runs/markEnqueued.js";
export { findRunsToEnqueuePage } from "./runs/findRunsToEnqueuePage.js";
export { deleteRunsAhead, findRunsAhead } from "./runs/runsAhead.js";
export { findActiveRunNames } from "./runs/findActiveRunNames.js";
export { loadCursors, saveCursor, saveCursors } from "./runs/cursors.js";
export { DEFAULT_ALERT_AFTER_FAILURES, scheduleAlertSchema, type ScheduleAlert } from "./schedules/alert.js";
export {
  MAX_DATE_ENTRIES,
  compileDateSet,
  dateSetSchema,
  findDateEntryProblem,
  toDayNumber,
  type DateSetMatcher,
} from "./schedules/dateSet.js";
export {
  compileExclusions,
  describeExclusion,
  findExclusionAt,
  isExcludedAt,
  labelExclusion,
  toLocalDate,
  type CalendarDates,
  type Exclusion,
  type ExclusionMatcher,
} from "./schedules/exclusions.js";
export { loadCalendarDates, loadExclusions, type LoadedExclusions } from "./schedules/loadExclusions.js";
export {
  MAX_LISTED_PASSED_OVER,
  listPreviewInstants,
  type PreviewInstant,
  type PreviewInstants,
} from "./schedules/previewInstants.js";
export {
  BACKFILL_CAP,
  BACKFILL_COUNT_LIMIT,
  listBackfillInstants,
  type BackfillInstant,
  type BackfillRange,
} from "./schedules/backfillInstants.js";
export { MAX_LABELS, findLabelKeyProblem, findLabelValueProblem, labelsSchema } from "./schedules/labels.js";
export { CRON_MACROS, parseCron, type CronMacroTable, type ParsedCron } from "./schedules/cron.js";
export type { CronDays, DayOfMonthRule } from "./schedules/cronDays.js";
export { describeCron, describeSchedule, type DescribableTiming } from "./schedules/describeSchedule.js";
export { computeFireTimesBetween, computeNextFireTime, computeNextFireTimes } from "./schedules/fireTimes.js";
export { describeFireTime, type FireTimeDescription } from "./schedules/describeFireTime.js";
export {
  CHANGE_SOURCES,
  MAX_PAYLOAD_BYTES,
  MISFIRE_POLICIES,
  NAME_PATTERN,
  OVERLAP_POLICIES,
  PAUSE_MODES,
  RUN_ALL_CAP,
  toScheduleJson,
  type ChangeSource,
  type MisfirePolicy,
  type OverlapPolicy,
  type PauseMode,
  type Schedule,
  type ScheduleJson,
  type ScheduleTiming,
} from "./schedules/model.js";
export {
  findSchedule,
  getSchedule,
  listScheduleHistory,
  listSchedules,
  withMissingCalendars,
} from "./schedules/queries.js";
export {
  CalendarExists,
  CalendarInUse,
  CalendarNotFound,
  CalendarVersionConflict,
  InvalidCalendar,
  LISTED_USERS,
} from "./calendars/calendarErrors.js";
export {
  CALENDAR_READ_ONLY_FIELDS,
  calendarCreateSchema,
  calendarFieldsSchema,
  calendarPatchSchema,
  resolveCalendarCreate,
  resolveCalendarPatch,
  type CalendarDraft,
} from "./calendars/calendarFields.js";
export { toCalendarJson, type Calendar, type CalendarJson } from "./calendars/calendarModel.js";
export {
  findCalendar,
  findMissingCalendars,
  getCalendar,
  listCalendarHistory,
  listCalendars,
  listCalendarsByName,
  listCalendarUsers,
  type CalendarReader,
  type CalendarWithUse,
} from "./calendars/calendarQueries.js";
export {
  createCalendarWriter,
  type CalendarDeleteResult,
  type CalendarWriter,
  type CalendarWriterDeps,
  type CalendarWriteResult,
  type TouchedSchedule,
} from "./calendars/writeCalendars.js";
export {
  checkStoredSchedule,
  findStoredProblems,
  type ScheduleHealth,
  type StoredSchedule,
} from "./schedules/storedHealth.js";
export {
  MAX_LABEL_REQUIREMENTS,
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from "./schedules/labelSelector.js";
export {
  SCHEDULE_SORTS,
  listSchedulesByName,
  listSchedulesPage,
  type ListedSchedule,
  type SchedulePage,
  type SchedulePageQuery,
  type ScheduleSort,
} from "./schedules/listSchedulesPage.js";
export { isValidTimeZone } from "./schedules/timeZones.js";
export {
  isSupportedInstant,
  READ_ONLY_FIELDS,
  UNSUPPORTED_INSTANT_MESSAGE,
  scheduleCreateSchema,
  scheduleFieldsSchema,
  schedulePatchSchema,
} from "./schedules/scheduleFields.js";
export {
  resolveCreate,
  resolvePatch,
  toDraft,
  toErrorDetails,
  toTiming,
  type ScheduleDraft,
} from "./schedules/validation.js";
export { checkScheduleRow, checkTiming } from "./schedules/timingHealth.js";
export { computeScheduleWarnings } from "./schedules/warnings.js";
export {
  createScheduleWriter,
  type ChangeContext,
  type DeleteResult,
  type ImportOutcome,
  type Publisher,
  type ScheduleWriter,
  type ScheduleWriterDeps,
  type WriteResult,
} from "./schedules/writeSchedules.js";
export {
  assertPostgresReachable,
  assertRedisReachable,
  describeStartupFailure,
  installProcessGuards,
  prepareServices,
  ServiceUnreachable,
} from "./startup.js";
export { TimeoutError, withTimeout } from "./support/withTimeout.js";
export { parseJsonWith } from "./support/parseJsonWith.js";
export { FORBIDDEN_KEYS, findForbiddenKey } from "./support/forbiddenKeys.js";
export {
  ALERT_EVENTS,
  HISTORY_OPS,
  OPEN_ALERT_EVENTS,
  RUN_KINDS,
  RUN_STATUSES,
  type AlertEvent,
  type HistoryOp,
  type OpenAlertEvent,
  type RunKind,
} from "./db/enums.js";
export { exitOnStartupFailure, stopOnSignals, type StopPlan } from "./process/lifecycle.js";
