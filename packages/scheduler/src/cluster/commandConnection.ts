import { Redis } from "ioredis";
import type { Logger } from "@hotbeat/shared";

/** The scheduler's own command connection: short retries, so a dead Redis fails fast. */
export function createCommandConnection(url: string, connectionName: string, log: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName,
    maxRetriesPerRequest: 2,
    commandTimeout: 5000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
  });
  redis.on("error", (error: Error) => log.warn({ err: error }, "redis connection error"));
  return redis;
}
