import type { Queue } from "bullmq";
import {
  enqueueRuns,
  findActiveRunNames,
  markEnqueuedMany,
  recordRuns,
  type Database,
  type FireToRecord,
  type Logger,
  type RunRow,
  type RunStatus,
  type Schedule,
} from "@hotbeat/shared";
import type { Clock } from "../timeline/clock.js";
import type { SchedulerMetrics } from "../metrics.js";
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
 * Fires nominal instants of schedules, all in a handful of statements whatever their number:
 * the runs are recorded first (the unique key in PostgreSQL decides, across replicas and
 * restarts, that an instant runs once), then their jobs are added to BullMQ. A run found already
 * recorded but never enqueued (its recorder crashed in between) is enqueued here at once rather
 * than waiting for the sweeper; the job id makes a second add harmless. `overlapPolicy: "skip"`
 * records the instant as skipped while an earlier run is still queued or running (an earlier
 * fire of the same schedule in this very batch counts). Throws if any statement fails: nothing
 * is then reported fired, and firing them again is safe.
 */
export async function fireInstants(deps: FireDeps, fires: readonly Fire[]): Promise<void> {
  const { db, queue, log } = deps;
  const skipNames = fires.filter((f) => f.schedule.overlapPolicy === "skip").map((f) => f.schedule.name);
  const active = skipNames.length > 0 ? await findActiveRunNames(db, skipNames) : new Set<string>();
  const toRecord: FireToRecord[] = fires.map(({ schedule, scheduledAt, missedReason }) => {
    if (missedReason !== undefined) return { schedule, scheduledAt, status: "missed", reason: missedReason };
    const isOverlapping = schedule.overlapPolicy === "skip" && active.has(schedule.name);
    active.add(schedule.name);
    return isOverlapping
      ? { schedule, scheduledAt, status: "skipped", reason: OVERLAP_REASON }
      : { schedule, scheduledAt, status: "queued" };
  });
  const recorded = await recordRuns(db, toRecord);
  const toEnqueue = new Map<string, RunRow>();
  for (const { run } of recorded)
    if (run.status === "queued" && run.enqueuedAt === null) toEnqueue.set(run.id, run);
  if (toEnqueue.size > 0) {
    await enqueueRuns(queue, [...toEnqueue.values()]);
    await markEnqueuedMany(db, [...toEnqueue.keys()]);
  }
  const nowMs = deps.clock.now();
  recorded.forEach(({ run, isNew }, i) => {
    const { schedule, scheduledAt, status } = toRecord[i]!;
    if (status === "missed") return;
    if (!isNew) {
      log.debug({ schedule: schedule.name, fireAt: scheduledAt, runId: run.id }, "fire already recorded");
      return;
    }
    if (toEnqueue.has(run.id))
      deps.metrics.fireLateness.observe(Math.max(0, nowMs - scheduledAt.getTime()) / 1000);
    deps.metrics.firesTotal += 1;
    log.info(
      { schedule: schedule.name, fireAt: scheduledAt, runId: run.id, status: run.status },
      status === "skipped" ? "fire skipped: previous run still active" : "fire enqueued",
    );
    const event: FiredEvent = { name: schedule.name, scheduledAt, runId: run.id, status: run.status };
    deps.events.emit("fired", event);
  });
}
