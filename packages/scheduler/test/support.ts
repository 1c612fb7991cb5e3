import type { EventEmitter } from "node:events";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { RUNS_QUEUE, createScheduleWriter, type ScheduleWriter } from "@hotbeat/shared";
import { createScheduler, type Scheduler, type SchedulerDeps } from "../src/index.js";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import { createTestRedis, redisUrl, testLogger, uniqueId, type TestDatabase } from "../../../test/helpers.js";

/** A queue under its own namespace, emptied and closed after the file. */
export function createTestQueue(namespace: string): Queue {
  const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  releaseAfterFile(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });
  return queue;
}

/** A scheduler on `t`'s database under `namespace`, stopped after the file if a test did not. */
export function buildScheduler(
  t: TestDatabase,
  namespace: string,
  queue: Queue,
  overrides: Partial<SchedulerDeps> = {},
): Scheduler {
  const scheduler = createScheduler({
    database: t,
    redisUrl: redisUrl(),
    queue,
    log: testLogger(),
    namespace,
    pollIntervalMs: 60_000,
    ...overrides,
  });
  releaseAfterFile(() => scheduler.stop());
  return scheduler;
}

/**
 * hotbeat's own write path, publishing on the real channel; with `namespace`, as the API of that
 * deployment does, its messages carry the committed row.
 */
export function createTestWriter(t: TestDatabase, namespace?: string): ScheduleWriter {
  return createScheduleWriter({
    db: t,
    publisher: createTestRedis(),
    log: testLogger(),
    defaultTimezone: "UTC",
    ...(namespace !== undefined && { namespace }),
  });
}

/** Resolves with the first `event` whose payload satisfies `predicate`; never sleeps. */
export function nextEvent<T>(
  emitter: EventEmitter,
  event: string,
  predicate: (value: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`waited ${timeoutMs} ms for "${event}"`));
    }, timeoutMs);
    function listener(value: T) {
      if (!predicate(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    }
    emitter.on(event, listener);
  });
}

/** Kills exactly the scheduler's subscribed connection (never anyone else's, as TYPE pubsub would). */
export async function killSubscriber(admin: Redis, scheduler: Scheduler): Promise<void> {
  const list = String(await admin.call("CLIENT", "LIST"));
  const line = list.split("\n").find((l) => l.includes(` name=${scheduler.subscriberName} `));
  const id = line?.match(/\bid=(\d+)/)?.[1];
  if (!id) throw new Error(`no client named ${scheduler.subscriberName}`);
  await admin.call("CLIENT", "KILL", "ID", id);
}

export { uniqueId };
