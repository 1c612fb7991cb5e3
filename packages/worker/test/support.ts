import { RUN_JOB_NAME, RUNS_QUEUE, runJobId, runs, type RunRow } from "@hotbeat/shared";
import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { cleanUpAfterEachTest } from "../../../test/fileTeardown.js";
import {
  createTestDatabase,
  createTestRedis,
  testLogger,
  uniqueId,
  waitFor,
  type TestDatabase,
} from "../../../test/helpers.js";
import {
  createWorker,
  type CreateWorkerOptions,
  type RunWorker,
  type RunWorkerEvents,
} from "../src/index.js";

/** A database for the file, a Redis connection, and per test a fresh BullMQ prefix and queue. */
export interface Harness {
  t: TestDatabase;
  redis: Redis;
  /** Starts on a fresh namespace for each test: call `useNamespace()` in beforeEach. */
  namespace: string;
  queue: Queue;
  useNamespace(): Promise<void>;
  insertRun(task: string, payload?: unknown, fields?: Partial<typeof runs.$inferInsert>): Promise<RunRow>;
  enqueue(run: RunRow, options?: JobsOptions): Promise<void>;
  readRun(id: string): Promise<RunRow>;
  startWorker(options: Pick<CreateWorkerOptions, "registry"> & Partial<CreateWorkerOptions>): RunWorker;
}

export async function createHarness(): Promise<Harness> {
  const t = await createTestDatabase();
  const redis = createTestRedis();
  const workers: RunWorker[] = [];
  const harness: Harness = {
    t,
    redis,
    namespace: "",
    queue: undefined as unknown as Queue,
    async useNamespace() {
      harness.namespace = uniqueId("hbtest");
      harness.queue = new Queue(RUNS_QUEUE, { connection: redis, prefix: harness.namespace });
      await harness.queue.waitUntilReady();
    },
    async insertRun(task, payload = {}, fields = {}) {
      const [row] = await t.db
        .insert(runs)
        .values({
          scheduleName: uniqueId("sched_"),
          task,
          payload,
          scheduledAt: new Date("2026-03-01T09:15:00.000Z"),
          scheduleVersion: 1,
          enqueuedAt: new Date(),
          ...fields,
        })
        .returning();
      return row!;
    },
    async enqueue(run, options = {}) {
      const data = {
        runId: run.id,
        schedule: run.scheduleName,
        task: run.task,
        scheduledAt: run.scheduledAt.toISOString(),
      };
      await harness.queue.add(RUN_JOB_NAME, data, { jobId: runJobId(run.id), ...options });
    },
    async readRun(id) {
      const row = await t.db.query.runs.findFirst({ where: (r, { eq }) => eq(r.id, id) });
      if (!row) throw new Error(`run ${id} not found`);
      return row;
    },
    startWorker(options) {
      const worker = createWorker({
        db: t.db,
        connection: redis,
        namespace: harness.namespace,
        concurrency: 5,
        log: testLogger(),
        ...options,
      });
      workers.push(worker);
      return worker;
    },
  };
  cleanUpAfterEachTest(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close({ graceMs: 1000 })));
    await harness.queue?.obliterate({ force: true }).catch(() => undefined);
    await harness.queue?.close();
  });
  return harness;
}

/** The next `event` of `worker` that matches `predicate`; subscribe before causing it. */
export function nextEvent<K extends keyof RunWorkerEvents>(
  worker: RunWorker,
  event: K,
  predicate: (value: RunWorkerEvents[K][0]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<RunWorkerEvents[K][0]> {
  return waitFor<RunWorkerEvents[K][0]>(
    (listener) => {
      const handler = (value: RunWorkerEvents[K][0]) => listener(value);
      // EventEmitter's typed overloads cannot follow a generic K; the cast is the plain signature.
      (worker.on as (e: K, l: typeof handler) => unknown)(event, handler);
      return () => (worker.off as (e: K, l: typeof handler) => unknown)(event, handler);
    },
    predicate,
    timeoutMs,
  );
}
