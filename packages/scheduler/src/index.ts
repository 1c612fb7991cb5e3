export { systemClock, MAX_TIMEOUT_MS, type Clock } from "./timeline/clock.js";
export { computeJitterMs, planDueFires, type DueInput, type DuePlan } from "./firing/planDueFires.js";
export type { FiredEvent } from "./firing/fireInstants.js";
export { MissedFireAlerts, watchMissedFires, type MissedNotedEvent } from "./firing/watchMissedFires.js";
export { PAUSED_REASON } from "./firing/resumePaused.js";
export type {
  AppliedEvent,
  HandledEvent,
  MissedRecordedEvent,
  ResumedEvent,
  SchedulerEventEmitter,
  SchedulerEvents,
} from "./schedulerEvents.js";
export { createLeaderLease, type LeaderLease, type LeaseOptions } from "./cluster/leaderLease.js";
export { SchedulerMetrics } from "./schedulerMetrics.js";
export {
  loadChangesSince,
  loadEnabledSchedules,
  type ChangeSet,
  type Watermark,
} from "./sync/scheduleSource.js";
export { createScheduler, type Scheduler, type SchedulerDeps } from "./scheduler.js";
export { startScheduler, type SchedulerHandle } from "./startScheduler.js";
export { sweepRunsIntoQueue } from "./firing/sweepRunsIntoQueue.js";
export { Timeline, type TimelineEntry } from "./timeline/timeline.js";
export { createWakeTimer, type WakeTimer } from "./timeline/wakeTimer.js";
