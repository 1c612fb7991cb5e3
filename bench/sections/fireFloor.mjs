import { Queue } from "bullmq";
import { startBareWorkers } from "../lib/stack.mjs";
import { Redis } from "ioredis";
import { RUNS_QUEUE, RUN_JOB_NAME, RUN_JOB_OPTIONS } from "@hotbeat/shared";
import { summarize } from "../lib/stats.mjs";
import { sleep, waitUntil, wallNowMs } from "../lib/clock.mjs";

/**
 * The floor under section 2's hotbeat rows: what the same fires cost with nothing but BullMQ.
 * Each second's jobs are added in one `addBulk` (hotbeat's job options) by a timer armed for
 * their instant, and bare BullMQ Workers fetching as hotbeat's worker does run a no-op: no
 * PostgreSQL, no ledger, no claim. A scheduler that enqueues at the instant cannot start a task
 * earlier than this on the same machine; hotbeat's figure over this one is how close it is.
 */
export async function runBullmqFloor(env, fires) {
  const namespace = `${env.namespace}-floor`;
  const { workerConcurrency } = env.config();
  const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(RUNS_QUEUE, { connection, prefix: namespace });
  const added = [];
  const started = [];
  const worker = startBareWorkers(
    {
      queueName: RUNS_QUEUE,
      connection: workerConnection,
      prefix: namespace,
      concurrency: workerConcurrency,
    },
    async (job) => void started.push(wallNowMs() - Date.parse(job.data.scheduledAt)),
  );
  const bySecond = new Map();
  for (const f of fires) {
    if (!bySecond.has(f.dueAtMs)) bySecond.set(f.dueAtMs, []);
    bySecond.get(f.dueAtMs).push(f);
  }
  const timers = [];
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    for (const [dueAtMs, due] of bySecond) {
      const jobs = due.map((f) => ({
        name: RUN_JOB_NAME,
        data: {
          runId: f.name,
          schedule: f.name,
          task: "floor",
          scheduledAt: new Date(dueAtMs).toISOString(),
        },
        opts: { ...RUN_JOB_OPTIONS, jobId: `floor-${f.name}` },
      }));
      timers.push(
        setTimeout(
          () =>
            void queue.addBulk(jobs).then(() => {
              const addedMs = wallNowMs() - dueAtMs;
              for (let i = 0; i < jobs.length; i += 1) added.push(addedMs);
            }),
          dueAtMs - wallNowMs(),
        ),
      );
    }
    await sleep(Math.max(...bySecond.keys()) - wallNowMs());
    await waitUntil(() => started.length >= fires.length, 15_000);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  }
  return {
    added: summarize(added),
    started: summarize(started),
    concurrency: workerConcurrency,
    loops: worker.loops,
  };
}
