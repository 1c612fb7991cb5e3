import { createScheduleWriter, type DbHandle, type Logger, type ScheduleWriter } from "@hotbeat/shared";
import type { Redis } from "ioredis";
import type { Clock } from "../timeline/clock.js";

/**
 * The writer the leader ends pauses with: a pause that ends is a change like any other, through
 * the one write path (versioned, recorded, published), made by hotbeat itself.
 */
export function createResumeWriter(
  database: DbHandle,
  publisher: Redis,
  namespace: string,
  log: Logger,
  clock: Clock,
): ScheduleWriter {
  return createScheduleWriter({
    db: database,
    publisher,
    log: log.child({ component: "write-path" }),
    defaultTimezone: "UTC",
    now: () => new Date(clock.now()),
    namespace,
  });
}
