import type { Queue } from "bullmq";
import type { DbHandle, Logger, MetricsRegistry, SchedulerStatus } from "@hotbeat/shared";
import type { Clock } from "./timeline/clock.js";
import type { SchedulerEventEmitter } from "./schedulerEvents.js";

/** What a scheduler is built from ({@link SchedulerDeps}) and what it offers ({@link Scheduler}). */
export interface SchedulerDeps {
  database: DbHandle;
  /** The scheduler opens its own two connections: one for commands, one subscribed. */
  redisUrl: string;
  /** The BullMQ runs queue (prefix = namespace). The caller owns and closes it. */
  queue: Queue;
  log: Logger;
  /** Prefix of every Redis key, shared by every replica of one deployment. */
  namespace: string;
  pollIntervalMs: number;
  instanceId?: string;
  clock?: Clock;
  /** How often the leader looks for recorded runs missing from BullMQ. */
  sweepIntervalMs?: number;
  /** A run younger than this is left to the scheduler enqueueing it. */
  sweepOlderThanMs?: number;
  /** Candidates the sweeper looks at per round; it pages through them all over successive rounds. */
  sweepPageSize?: number;
  statusIntervalMs?: number;
  lease?: { ttlMs?: number; renewEveryMs?: number; acquireEveryMs?: number };
  /** Longest sleep between two looks at the clock (noticing a wall-clock jump). */
  maxSleepMs?: number;
  /** Schedules whose last due instant the self-check compares with the run rows, per poll. */
  selfCheckPageSize?: number;
}

export interface Scheduler {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): SchedulerStatus;
  /** The enabled schedules this scheduler cannot fire, each with the reason. */
  invalidSchedules(): Array<{ name: string; reason: string }>;
  renderMetrics(): Promise<string>;
  /** The registry of this scheduler's metrics, to merge into another role's /metrics. */
  readonly metricsRegistry: MetricsRegistry;
  readonly instanceId: string;
  /** Name of the subscribed Redis connection, as CLIENT LIST shows it. */
  readonly subscriberName: string;
  /** What the scheduler does, as it happens (see {@link SchedulerEvents}). */
  readonly events: SchedulerEventEmitter;
}
