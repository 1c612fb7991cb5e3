import type { Queue } from "bullmq";
import {
  dispatchRuns,
  findActiveRunNames,
  type Database,
  type DispatchResult,
  type RunRow,
  type Logger,
  type RunSpec,
  type RunStatus,
  type Schedule,
} from "@hotbeat/shared";
import type { Clock } from "../timeline/clock.js";
import type { RunsAhead } from "./runsAhead.js";
import { countOwnAheadAsNew, useRunsAhead } from "./useRunsAhead.js";
import type { SchedulerMetrics } from "../schedulerMetrics.js";
import type { SchedulerEventEmitter } from "../schedulerEvents.js";

/** Emitted as `fired` for every run this scheduler recorded. */
export interface FiredEvent {
  name: string;
  scheduledAt: Date;
  runId: string;
  status: RunStatus;
}

export interface FireDeps {
  db: Database;
  queue: Queue;
  log: Logger;
  clock: Clock;
  metrics: SchedulerMetrics;
  events: SchedulerEventEmitter;
  /** The leader's runs recorded ahead of their instants, used by their fires (see recordFiresAhead). */
  ahead?: RunsAhead;
}

/**
 * One nominal instant of one schedule, to fire, or (with `unfired`) to record as not run: missed
 * by the policy or a cap, or skipped (an excluded date, a pause).
 */
export interface Fire {
  schedule: Schedule;
  scheduledAt: Date;
  unfired?: { status: "missed" | "skipped"; reason: string };
}

const OVERLAP_REASON = "skipped: the previous run was still queued or running (overlap policy skip)";

/**
 * Fires nominal instants of schedules, all in a handful of statements whatever their number,
 * through {@link dispatchRuns} (record, then enqueue, then mark: see there for why this order).
 * `overlapPolicy: "skip"` records the instant as skipped while an earlier run is still queued or
 * running (an earlier fire of the same schedule in this very batch counts). Throws if any
 * statement fails, and firing them again is safe: what was not yet in the queue is not reported
 * fired; what was (only the mark failed) was reported once, and is found recorded on the retry.
 */
export async function fireInstants(deps: FireDeps, fires: readonly Fire[]): Promise<void> {
  const { db, queue, log } = deps;
  const skipNames = fires.filter((f) => f.schedule.overlapPolicy === "skip").map((f) => f.schedule.name);
  const active = skipNames.length > 0 ? await findActiveRunNames(db, skipNames) : new Set<string>();
  const toRecord: RunSpec[] = fires.map(({ schedule, scheduledAt, unfired }) => {
    if (unfired !== undefined) return { schedule, scheduledAt, kind: "schedule", ...unfired };
    const isOverlapping = schedule.overlapPolicy === "skip" && active.has(schedule.name);
    active.add(schedule.name);
    return isOverlapping
      ? { schedule, scheduledAt, kind: "schedule", status: "skipped", reason: OVERLAP_REASON }
      : { schedule, scheduledAt, kind: "schedule", status: "queued" };
  });
  // The events and the lateness metric go out as soon as the jobs are added (before the mark);
  // the log lines, which cost as much as the rest together in a burst, once the batch is done.
  const ownAhead = await useRunsAhead(db, deps.ahead, toRecord);
  const { items, usedAhead } = ownAhead;
  let isReported = false;
  const report = ({ recorded, enqueued }: DispatchResult) => {
    if (isReported) return;
    isReported = true;
    reportFires(deps, fires, toRecord, countOwnAheadAsNew(recorded, enqueued, ownAhead), enqueued);
  };
  const result = await dispatchRuns({ db, queue, onEnqueued: report }, items);
  report(result);
  logFires(log, fires, toRecord, countOwnAheadAsNew(result.recorded, result.enqueued, ownAhead));
  // A row recorded ahead that the mark did not find queued was claimed already, or changed
  // behind this scheduler (skipped by hand, deleted by an unskip): recorded again by its key, the
  // ledger says what the instant is now, and only a fire it still owes is enqueued again.
  const recheck = [...usedAhead].filter((i) => result.notMarked?.has((items[i] as RunRow).id));
  if (recheck.length > 0)
    await fireInstants(
      { ...deps, ahead: undefined },
      recheck.map((i) => fires[i]!),
    );
}

/** Emits `fired` (and counts it) for every run this batch recorded. */
function reportFires(
  deps: FireDeps,
  fires: readonly Fire[],
  toRecord: readonly RunSpec[],
  recorded: DispatchResult["recorded"],
  enqueued: readonly RunRow[],
): void {
  const enqueuedIds = new Set(enqueued.map((run) => run.id));
  const nowMs = deps.clock.now();
  recorded.forEach(({ run, isNew }, i) => {
    const { schedule, scheduledAt, status } = toRecord[i]!;
    if (status === "missed" || !isNew) return;
    if (fires[i]!.unfired === undefined) {
      if (enqueuedIds.has(run.id))
        deps.metrics.fireLateness.observe(Math.max(0, nowMs - scheduledAt.getTime()) / 1000);
      deps.metrics.firesTotal += 1;
    }
    const event: FiredEvent = { name: schedule.name, scheduledAt, runId: run.id, status: run.status };
    deps.events.emit("fired", event);
  });
}

/** One line per fire recorded (or found recorded beforehand), as {@link reportFires} reported it. */
function logFires(
  log: Logger,
  fires: readonly Fire[],
  toRecord: readonly RunSpec[],
  recorded: DispatchResult["recorded"],
): void {
  recorded.forEach(({ run, isNew }, i) => {
    const { schedule, scheduledAt, status, reason } = toRecord[i]!;
    if (status === "missed") return;
    const fields = { schedule: schedule.name, scheduledAt, runId: run.id };
    if (!isNew) {
      // A run recorded ahead of its instant (skipped by hand) holds its place: it is not run.
      if (status === "queued" && run.status === "skipped")
        log.info({ ...fields, reason: run.error }, "fire not run: recorded as skipped beforehand");
      else log.debug(fields, "fire already recorded");
      return;
    }
    if (fires[i]!.unfired !== undefined) log.info({ ...fields, reason }, "fire skipped");
    else
      log.info(
        { ...fields, status: run.status },
        status === "skipped" ? "fire skipped: previous run still active" : "fire enqueued",
      );
  });
}
