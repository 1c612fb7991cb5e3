import { hostname } from "node:os";
import type { Redis } from "ioredis";
import {
  SCHEDULER_STATUS_TTL_MS,
  scheduleAppliedChannel,
  schedulerStatusKey,
  type ScheduleAppliedMessage,
  type SchedulerStatus,
} from "@hotbeat/shared";

export type LastApplied = NonNullable<SchedulerStatus["lastApplied"]>;

/** What a scheduler tells others about itself through Redis. */
export interface SelfReport {
  /** The current status, as `GET /api/v1/scheduler` shows it. */
  status(): SchedulerStatus;
  /** Writes the status with a TTL, so a replica that dies vanishes by itself. */
  write(): Promise<void>;
  /** Announces an applied change for `?wait=applied`, then refreshes the status. */
  announceApplied(applied: LastApplied): Promise<void>;
  /** Removes the status at a clean stop, so nobody waits for a replica that is gone. */
  clear(): Promise<void>;
}

export function createSelfReport(options: {
  redis: Redis;
  namespace: string;
  instanceId: string;
  startedAt: Date;
  now: () => number;
  isLeader: () => boolean;
  schedulesLoaded: () => number;
}): SelfReport {
  const { redis, namespace, instanceId } = options;
  const key = schedulerStatusKey(namespace, instanceId);
  let lastApplied: LastApplied | null = null;

  const status = (): SchedulerStatus => ({
    instanceId,
    hostname: hostname(),
    pid: process.pid,
    isLeader: options.isLeader(),
    schedulesLoaded: options.schedulesLoaded(),
    lastApplied,
    startedAt: options.startedAt.toISOString(),
    heartbeatAt: new Date(options.now()).toISOString(),
  });

  const write = async () => {
    await redis.set(key, JSON.stringify(status()), "PX", SCHEDULER_STATUS_TTL_MS);
  };

  return {
    status,
    write,
    async announceApplied(applied) {
      lastApplied = applied;
      const message: ScheduleAppliedMessage = { instanceId, ...applied };
      // The status first: a waiter that lists the live schedulers after seeing this message
      // must already find the new version there.
      await write();
      await redis.publish(scheduleAppliedChannel(namespace), JSON.stringify(message));
    },
    async clear() {
      await redis.del(key);
    },
  };
}
