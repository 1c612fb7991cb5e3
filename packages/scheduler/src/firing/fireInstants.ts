import type { Queue } from "bullmq";
import {
  dispatchRuns,
  findActiveRunNames,
  type Database,
  type Logger,
  type RunSpec,
  type RunStatus,
  type Schedule,
} from "@hotbeat/shared";
import type { Clock } from "../timeline/clock.js";
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
}

/** One nominal instant of one schedule, to fire, or (with `missedReason`) to record as missed. */
export interface Fire {
  schedule: Schedule;
  scheduledAt: Date;
  missedReason?: string;
}

const OVERLAP_REASON = "skipped: the previous run was still queued or running (overlap policy skip)";

/**
 * Fires nominal instants of schedules, all in a handful of statements whatever their number,
 * through {@link dispatchRuns} (record, then enqueue, then mark: see there for why this order).
 * `overlapPolicy: "skip"` records the instant as skipped while an earlier run is still queued or
 * running (an earlier fire of the same schedule in this very batch counts). Throws if any
 * statement fails: nothing is then reported fired, and firing them again is safe.
 */
export async function fireInstants(deps: FireDeps, fires: readonly Fire[]): Promise<void> {
  const { db, queue, log } = deps;
  const skipNames = fires.filter((f) => f.schedule.overlapPolicy === "skip").map((f) => f.schedule.name);
  const active = skipNames.length > 0 ? await findActiveRunNames(db, skipNames) : new Set<string>();
  const toRecord: RunSpec[] = fires.map(({ schedule, scheduledAt, missedReason }) => {
    if (missedReason !== undefined)
      return { schedule, scheduledAt, kind: "schedule", status: "missed", reason: missedReason };
    const isOverlapping = schedule.overlapPolicy === "skip" && active.has(schedule.name);
    active.add(schedule.name);
    return isOverlapping
      ? { schedule, scheduledAt, kind: "schedule", status: "skipped", reason: OVERLAP_REASON }
      : { schedule, scheduledAt, kind: "schedule", status: "queued" };
  });
  const { recorded, enqueued } = await dispatchRuns({ db, queue }, toRecord);
  const enqueuedIds = new Set(enqueued.map((run) => run.id));
  const nowMs = deps.clock.now();
  recorded.forEach(({ run, isNew }, i) => {
    const { schedule, scheduledAt, status } = toRecord[i]!;
    if (status === "missed") return;
    if (!isNew) {
      log.debug({ schedule: schedule.name, scheduledAt, runId: run.id }, "fire already recorded");
      return;
    }
    if (enqueuedIds.has(run.id))
      deps.metrics.fireLateness.observe(Math.max(0, nowMs - scheduledAt.getTime()) / 1000);
    deps.metrics.firesTotal += 1;
    log.info(
      { schedule: schedule.name, scheduledAt, runId: run.id, status: run.status },
      status === "skipped" ? "fire skipped: previous run still active" : "fire enqueued",
    );
    const event: FiredEvent = { name: schedule.name, scheduledAt, runId: run.id, status: run.status };
    deps.events.emit("fired", event);
  });
}
