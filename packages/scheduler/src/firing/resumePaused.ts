import {
  AppError,
  ScheduleNotFound,
  VersionConflict,
  checkScheduleRow,
  compileExclusions,
  computeFireTimesBetween,
  describeExclusion,
  findExclusionAt,
  loadCalendarDates,
  recordRuns,
  saveCursor,
  toTiming,
  type CalendarDates,
  type Database,
  type Logger,
  type Schedule,
  type ScheduleWriter,
} from "@hotbeat/shared";
import type { SchedulerEventEmitter } from "../schedulerEvents.js";
import { loadLastDisabledAt, loadStoredCursor } from "../sync/scheduleSource.js";
import type { Clock } from "../timeline/clock.js";
import type { HeldSchedules } from "../timeline/heldSchedules.js";
import type { ResumeQueue } from "../timeline/resumeQueue.js";
import { MISSED_RECORD_CAP } from "./planDueFires.js";

/** How long a pause whose ending failed (PostgreSQL away) waits before it is tried again. */
export const RESUME_RETRY_MS = 1000;

/** The reason kept on the runs a pause covered (`pauseMode: skip`). */
export const PAUSED_REASON = "paused";

export interface ResumeDeps {
  db: Database;
  writer: ScheduleWriter;
  held: HeldSchedules;
  resumes: ResumeQueue;
  log: Logger;
  clock: Clock;
  events: SchedulerEventEmitter;
  /** The timeline or the resume queue changed: re-arm the wake. */
  rearm: () => void;
}

/**
 * Records the instants a `pauseMode: skip` pause covered, after `fromAt` and before the resume
 * instant, as `skipped` runs ("paused", or the exclusion for an excluded date), the latest
 * MISSED_RECORD_CAP of them. Returns how many it recorded.
 */
async function recordPausedInstants(
  deps: ResumeDeps,
  row: Schedule,
  calendars: readonly CalendarDates[],
  fromAt: Date,
): Promise<number> {
  const untilAt = new Date(row.pausedUntil!.getTime() - 1);
  if (untilAt <= fromAt) return 0;
  const reason = checkScheduleRow(row);
  if (reason !== null) {
    deps.log.error(
      { schedule: row.name, reason },
      "the fires of the pause cannot be computed; none recorded",
    );
    return 0;
  }
  const timing = toTiming(row);
  const instants = computeFireTimesBetween(timing, fromAt, untilAt, MISSED_RECORD_CAP);
  const exclusions = compileExclusions(row.exclude ?? [], row.calendars ?? [], calendars);
  await recordRuns(
    deps.db,
    instants.map((at) => {
      const exclusion = findExclusionAt(at, timing.timezone, exclusions);
      const why = exclusion ? describeExclusion(exclusion) : PAUSED_REASON;
      return { schedule: row, scheduledAt: at, status: "skipped" as const, reason: why };
    }),
  );
  if (instants.length === MISSED_RECORD_CAP)
    deps.log.warn(
      { schedule: row.name, recorded: instants.length },
      "the pause covered more fires than are recorded; the older ones are only counted here",
    );
  return instants.length;
}

/**
 * Where the schedule resumes from, having dealt with the instants of the pause. `skip`: they are
 * recorded as skipped and firing resumes at `pausedUntil` itself (an instant exactly then fires).
 * `catch_up`: the cursor is left where the pause began (the stored cursor, else the instant it
 * was paused), so the misfire policy takes them as if the scheduler had been down. The cursor is
 * stored before the schedule is enabled: a leader that dies in between resumes it again from here.
 */
async function prepareResumeCursor(
  deps: ResumeDeps,
  row: Schedule,
  calendars: readonly CalendarDates[],
): Promise<{ cursorAt: Date; skipped: number }> {
  const stored = await loadStoredCursor(deps.db, row.name);
  const pausedAt = (await loadLastDisabledAt(deps.db, row.name)) ?? row.createdAt;
  const pauseStartMs = pausedAt.getTime() - 1;
  if (row.pauseMode === "catch_up") return { cursorAt: stored ?? new Date(pauseStartMs), skipped: 0 };
  const fromAt = new Date(Math.max(stored?.getTime() ?? Number.NEGATIVE_INFINITY, pauseStartMs));
  const skipped = await recordPausedInstants(deps, row, calendars, fromAt);
  const cursorAt = new Date(Math.max(row.pausedUntil!.getTime() - 1, stored?.getTime() ?? 0));
  await saveCursor(deps.db, row.name, cursorAt);
  return { cursorAt, skipped };
}

/**
 * Ends the pause of `row` at its `pausedUntil` (the leader only): deals with the instants it
 * covered (see prepareResumeCursor), then enables the schedule through the one write path, as
 * `hotbeat`, source `scheduler`, note "pause ended", so history and the live message are those of
 * any change, and applies the enabled row here at once with its resume cursor. The write expects
 * the paused version: a schedule changed meanwhile is left to that change. A failure other than
 * a refusal is tried again RESUME_RETRY_MS later; nothing is recorded twice (the ledger's key).
 */
export async function resumePaused(deps: ResumeDeps, row: Schedule): Promise<void> {
  const { held, resumes, log } = deps;
  const name = row.name;
  const startedAt = new Date(deps.clock.now());
  try {
    const calendars = await loadCalendarDates(deps.db, row.calendars ?? []);
    const { cursorAt, skipped } = await prepareResumeCursor(deps, row, calendars);
    const { schedule } = await deps.writer.update(
      name,
      { enabled: true },
      { actor: "hotbeat", source: "scheduler", note: "pause ended", expectedVersion: row.version },
    );
    // Applied before the write's own message comes back, which then finds this version known.
    const outcome = held.apply(name, schedule, schedule.version, deps.clock.now(), calendars, { cursorAt });
    const entry = held.get(name);
    if (outcome === "stale" && entry?.schedule.version === schedule.version && !entry.isBusy)
      held.advance(entry, cursorAt);
    resumes.track(name, schedule);
    log.info(
      { schedule: name, version: schedule.version, pausedUntil: row.pausedUntil, skipped },
      "pause ended",
    );
    deps.events.emit("resumed", { name, version: schedule.version, startedAt, cursorAt, skipped });
  } catch (error) {
    if (error instanceof VersionConflict || error instanceof ScheduleNotFound) {
      // Changed or deleted meanwhile: the sync applies (and tracks) what it is now.
      log.info({ schedule: name, reason: error.message }, "pause not ended: the schedule changed");
    } else if (error instanceof AppError) {
      log.error({ err: error, schedule: name }, "pause cannot end: the write path refused it");
    } else {
      log.warn({ err: error, schedule: name }, "could not end a pause; retrying");
      if (!resumes.has(name)) resumes.retryAt(row, deps.clock.now() + RESUME_RETRY_MS);
    }
  }
  deps.rearm();
}
