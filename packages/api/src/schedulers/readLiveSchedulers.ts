import {
  parseJsonWith,
  schedulerStatusPattern,
  schedulerStatusSchema,
  type Logger,
  type SchedulerStatus,
} from "@hotbeat/shared";
import type { Redis } from "ioredis";

/**
 * Every scheduler that reported itself recently. Each self-report is a key with a TTL, so a dead
 * scheduler drops out by itself; SCAN (never KEYS) keeps Redis responsive with many keys.
 */
export async function readLiveSchedulers(
  redis: Redis,
  namespace: string,
  log: Logger,
): Promise<SchedulerStatus[]> {
  const keys = new Set<string>();
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", schedulerStatusPattern(namespace), "COUNT", 200);
    cursor = next;
    for (const key of batch) keys.add(key);
  } while (cursor !== "0");
  if (keys.size === 0) return [];
  const values = await redis.mget(...keys);
  const statuses: SchedulerStatus[] = [];
  for (const raw of values) {
    if (raw === null) continue; // expired between SCAN and MGET
    const parsed = parseJsonWith(schedulerStatusSchema, raw);
    if (parsed) statuses.push(parsed);
    else log.warn({ raw: raw.slice(0, 200) }, "ignoring a malformed scheduler self-report");
  }
  return statuses.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}
