export { systemClock, MAX_TIMEOUT_MS, type Clock } from "./clock.js";
export { computeJitterMs, planDueFires, type DueInput, type DuePlan } from "./firePlan.js";
export type { FiredEvent } from "./fireInstant.js";
export type {
  AppliedEvent,
  HandledEvent,
  SchedulerEventEmitter,
  SchedulerEvents,
} from "./schedulerEvents.js";
export { createLeaderLease, type LeaderLease, type LeaseOptions } from "./lease.js";
export { SchedulerMetrics } from "./metrics.js";
export { loadChangesSince, loadEnabledSchedules, type ChangeSet, type Watermark } from "./scheduleSource.js";
export { createScheduler, type Scheduler, type SchedulerDeps } from "./scheduler.js";
export { startScheduler, type SchedulerHandle } from "./startScheduler.js";
export { sweepRunsIntoQueue } from "./sweeper.js";
export { Timeline } from "./timeline.js";
export { createWakeTimer, type WakeTimer } from "./wakeTimer.js";
