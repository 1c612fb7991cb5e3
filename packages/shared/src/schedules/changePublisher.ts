import type { Logger } from "../logging/createLogger.js";
import { SCHEDULE_UPDATES_CHANNEL } from "../messages/names.js";
import type { ScheduleUpdateMessage } from "../messages/scheduleUpdate.js";
import { withTimeout } from "../support/withTimeout.js";

/** The minimum of a Redis client the write path needs; an ioredis instance fits. */
export interface Publisher {
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * Publishes a committed change on `schedule_updates`. A failed or slow publish is logged and never
 * fails the write: the scheduler's poll recovers it, and Redis down must not hang writes.
 */
export function createChangePublisher(deps: {
  publisher: Publisher;
  log: Logger;
  publishTimeoutMs: number;
}): (message: ScheduleUpdateMessage) => Promise<void> {
  return async (message) => {
    try {
      await withTimeout(
        deps.publisher.publish(SCHEDULE_UPDATES_CHANNEL, JSON.stringify(message)),
        deps.publishTimeoutMs,
        "publishing the change",
      );
    } catch (error) {
      deps.log.warn(
        { err: error, schedule: message.name, version: message.version },
        "publish failed; the poll will apply it",
      );
    }
  };
}
