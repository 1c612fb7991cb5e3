import { Redis } from "ioredis";
import {
  SCHEDULE_UPDATES_CHANNEL,
  parseScheduleUpdate,
  type Logger,
  type ScheduleUpdateMessage,
} from "@hotbeat/shared";

export interface UpdateSubscriberOptions {
  redisUrl: string;
  /** Shown by CLIENT LIST, so an operator (or a test) can find this very connection. */
  connectionName: string;
  log: Logger;
  onUpdate: (message: ScheduleUpdateMessage, receivedAtMs: number) => void;
  /** The subscription was lost and is back: whatever was published meanwhile is unknown. */
  onResubscribed: () => void;
  now: () => number;
}

export interface UpdateSubscriber {
  /** Resolves once Redis has confirmed the subscription. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The dedicated connection that listens on `schedule_updates` (a subscribed Redis connection can
 * do nothing else). ioredis reconnects by itself; its own silent resubscription is turned off so
 * that on every reconnect we resubscribe, wait for Redis to confirm, and only then ask for a full
 * resync: a change published while we were away is then either in the resync's read or arrives
 * as a message, never in neither.
 */
export function createUpdateSubscriber(options: UpdateSubscriberOptions): UpdateSubscriber {
  const { log } = options;
  let client: Redis | undefined;
  let hasBeenReady = false;

  function onMessage(channel: string, raw: string): void {
    if (channel !== SCHEDULE_UPDATES_CHANNEL) return;
    const receivedAtMs = options.now();
    const message = parseScheduleUpdate(raw);
    if (!message) {
      log.warn({ raw: raw.slice(0, 200) }, "ignored a malformed schedule_updates message");
      return;
    }
    options.onUpdate(message, receivedAtMs);
  }

  async function resubscribe(redis: Redis): Promise<void> {
    try {
      await redis.subscribe(SCHEDULE_UPDATES_CHANNEL);
      log.info("subscription to schedule_updates restored; resyncing");
      options.onResubscribed();
    } catch (error) {
      log.warn({ err: error }, "could not resubscribe; the next reconnect retries");
    }
  }

  return {
    async start() {
      const redis = new Redis(options.redisUrl, {
        connectionName: options.connectionName,
        autoResubscribe: false,
        maxRetriesPerRequest: null,
        retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      });
      client = redis;
      redis.on("message", onMessage);
      redis.on("error", (error: Error) => log.warn({ err: error }, "subscriber connection error"));
      redis.on("ready", () => {
        if (!hasBeenReady) {
          hasBeenReady = true;
          return;
        }
        void resubscribe(redis);
      });
      await redis.subscribe(SCHEDULE_UPDATES_CHANNEL);
    },
    stop() {
      const redis = client;
      client = undefined;
      redis?.removeAllListeners("ready");
      redis?.disconnect();
      return Promise.resolve();
    },
  };
}
