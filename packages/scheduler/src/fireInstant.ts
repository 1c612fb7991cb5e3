import type { EventEmitter } from "node:events";
import type { Queue } from "bullmq";
import {
  enqueueRun,
  hasActiveRun,
  markEnqueued,
  recordRun,
  type Database,
  type Logger,
  type Schedule,
} from "@hotbeat/shared";
import type { Clock } from "./clock.js";
import type { SchedulerMetrics } from "./metrics.js";

/** Emitted as `fired` for every run this scheduler recorded. */
export interface FiredEvent {
  name: string;
  scheduledAt: Date;
  runId: string;
  status: string;
}

export interface FireDeps {
  db: Database;
  queue: Queue;
  log: Logger;
  clock: Clock;
  metrics: SchedulerMetrics;
  events: EventEmitter;
}

/**
 * Fires one nominal instant of a schedule: the run is recorded first (the unique key in
 * PostgreSQL decides, across replicas and restarts, that this instant runs once), then its job
 * is added to BullMQ. A run found already recorded but never enqueued (its recorder crashed in
 * between) is enqueued here at once rather than waiting for the sweeper; the job id makes a
 * second add harmless. `overlapPolicy: "skip"` records the instant as skipped while an earlier
 * run is still queued or running.
 */
export async function fireInstant(deps: FireDeps, schedule: Schedule, scheduledAt: Date): Promise<void> {
  const { db, queue, log } = deps;
  const isOverlapping = schedule.overlapPolicy === "skip" && (await hasActiveRun(db, schedule.name));
  const { run, isNew } = await recordRun(db, {
    schedule,
    scheduledAt,
    kind: "schedule",
    status: isOverlapping ? "skipped" : "queued",
  });
  if (run.status === "queued" && run.enqueuedAt === null) {
    await enqueueRun(queue, run);
    await markEnqueued(db, run.id);
    if (isNew)
      deps.metrics.fireLateness.observe(Math.max(0, deps.clock.now() - scheduledAt.getTime()) / 1000);
  }
  if (!isNew) {
    log.debug({ schedule: schedule.name, fireAt: scheduledAt, runId: run.id }, "fire already recorded");
    return;
  }
  deps.metrics.firesTotal += 1;
  log.info(
    { schedule: schedule.name, fireAt: scheduledAt, runId: run.id, status: run.status },
    isOverlapping ? "fire skipped: previous run still active" : "fire enqueued",
  );
  const event: FiredEvent = { name: schedule.name, scheduledAt, runId: run.id, status: run.status };
  deps.events.emit("fired", event);
}
