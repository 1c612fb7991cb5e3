import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { RUNS_QUEUE, RUN_JOB_NAME, RUN_JOB_OPTIONS, createDb, dispatchRuns } from "@hotbeat/shared";
import { summarize } from "../lib/stats.mjs";
import { ceilToSecondMs, cronAt, sleep, waitUntil, wallNowMs } from "../lib/clock.mjs";
import { insertSchedules, pad, progress, range } from "../lib/environment.mjs";
import { NOOP_TASK, startBareWorkers, startBenchWorker, taskProbe } from "../lib/stack.mjs";
import { forkScheduler } from "./scale.mjs";

const BURST = 10_000;
const PREFIX = "burst-";
/** Repetitions of the worker's drain and of the floor (the end-to-end burst runs once). */
const DRAIN_REPS = 2;
const FLOOR_QUEUE = "bench-floor";
const scheduleName = (i) => `${PREFIX}${pad(i)}`;

/** A yearly instant six months away, so that nothing fires before the section moves it. */
function idleCron(i) {
  const month = ((new Date().getUTCMonth() + 6) % 12) + 1;
  return `${i % 60} ${Math.floor(i / 60) % 24} ${1 + (Math.floor(i / 1440) % 28)} ${month} *`;
}

function openQueue(env, name = RUNS_QUEUE) {
  const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix: env.namespace });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/**
 * The worker on its own: 10k runs recorded and enqueued through `dispatchRuns`, as the scheduler
 * does, while the queue is paused; then a worker at its defaults is started and the queue resumed.
 * The figure runs from the resume (every job waiting) to the last task started.
 */
async function measureDrain(env, log, schedules, rep) {
  const database = createDb(env.databaseUrl, { max: 4, applicationName: "bench-burst-dispatch" });
  const { queue, close } = openQueue(env);
  const started = [];
  let worker;
  try {
    await queue.pause();
    const scheduledAt = new Date(ceilToSecondMs(wallNowMs()) - rep * 1000);
    const t0 = performance.now();
    const { enqueued } = await dispatchRuns(
      { db: database.db, queue },
      schedules.map((schedule) => ({ schedule, scheduledAt, kind: "schedule", status: "queued" })),
    );
    progress(
      `6 burst: ${enqueued.length} runs dispatched in ${Math.round(performance.now() - t0)} ms; worker drain ${rep}/${DRAIN_REPS}`,
    );
    worker = await startBenchWorker(env, log);
    let finished = 0;
    worker.worker.on("finished", () => (finished += 1));
    taskProbe.onStart = (context, atMs) => {
      if (context.scheduleName.startsWith(PREFIX)) started.push(atMs);
    };
    const resumedAtMs = wallNowMs();
    await queue.resume();
    await waitUntil(() => started.length >= enqueued.length, 120_000, 20);
    const allStartedMs = Math.max(...started) - resumedAtMs;
    await waitUntil(() => finished >= enqueued.length, 60_000, 20);
    const allFinishedMs = wallNowMs() - resumedAtMs;
    return {
      count: enqueued.length,
      startedCount: started.length,
      allStartedMs,
      allFinishedMs,
      started: summarize(started.map((atMs) => atMs - resumedAtMs)),
    };
  } finally {
    taskProbe.onStart = () => undefined;
    await worker?.close({ graceMs: 2000 });
    await close();
    await database.close();
  }
}

/**
 * The floors of "started": BullMQ alone moving the same number of jobs (same options) to active
 * with a no-op processor at the same concurrency, fetching as hotbeat's worker does, and no
 * PostgreSQL at all. `waiting`: every job added to the paused queue first, timed from the resume
 * (the floor of the worker's drain). Otherwise the jobs are added the way hotbeat's scheduler
 * adds them (addBulk by the thousand) while the workers run, timed from the first add (the floor
 * of the whole path, due second → every task started).
 */
async function measureFloor(env, concurrency, { waiting }) {
  const { queue, close } = openQueue(env, FLOOR_QUEUE);
  const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const started = [];
  let worker;
  try {
    await queue.obliterate({ force: true });
    const jobs = range(BURST).map((i) => ({
      name: RUN_JOB_NAME,
      data: { runId: String(i), schedule: scheduleName(i), task: NOOP_TASK, scheduledAt: "" },
      opts: { ...RUN_JOB_OPTIONS, jobId: `floor-${i}` },
    }));
    const addAll = async () => {
      for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
    };
    if (waiting) {
      await queue.pause();
      await addAll();
    }
    worker = startBareWorkers(
      { queueName: FLOOR_QUEUE, connection, prefix: env.namespace, concurrency },
      async () => void started.push(wallNowMs()),
    );
    await worker.waitUntilReady();
    const fromMs = wallNowMs();
    await (waiting ? queue.resume() : addAll());
    await waitUntil(() => started.length >= BURST, 120_000, 20);
    return { count: started.length, allStartedMs: Math.max(...started) - fromMs, concurrency };
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await close();
    connection.disconnect();
  }
}

/** 10k schedules due in the same second: scheduler in its own process, worker in this one. */
async function measureEndToEnd(env, log) {
  const worker = await startBenchWorker(env, log);
  const started = [];
  taskProbe.onStart = (context, atMs) => {
    if (context.scheduleName.startsWith(PREFIX)) started.push(atMs - context.scheduledAt.getTime());
  };
  let child;
  try {
    const dueAtMs = ceilToSecondMs(wallNowMs() + 10_000);
    await env.sql`UPDATE schedules SET cron = ${cronAt(dueAtMs)} WHERE name LIKE ${`${PREFIX}%`}`;
    child = await forkScheduler(env);
    await child.request("load");
    if (wallNowMs() > dueAtMs - 500)
      progress("  warning: the scheduler was barely ready before the due second");
    progress(`6 burst: ${BURST} fires due at ${new Date(dueAtMs).toISOString()}`);
    await sleep(dueAtMs - wallNowMs());
    const fired = await child.request("fires", { expected: BURST, timeoutMs: 60_000 });
    await waitUntil(() => started.length >= BURST, 120_000, 20);
    const startedSummary = summarize(started);
    return {
      schedules: BURST,
      enqueuedCount: fired.count,
      allEnqueuedMs: fired.lastEnqueuedAfterDueMs,
      enqueued: fired.enqueued,
      startedCount: started.length,
      allStartedMs: startedSummary.max,
      started: startedSummary,
    };
  } finally {
    taskProbe.onStart = () => undefined;
    await child?.stop();
    await worker.close({ graceMs: 2000 });
  }
}

/**
 * Section 6: 10k runs at once. The worker alone (every job already waiting), BullMQ alone (the
 * floor of the same), and the whole path from a due second to every task started. Its schedules
 * are removed afterwards, so that section 3 loads only its own.
 */
export async function benchBurst(env, log) {
  progress(`6 burst: inserting ${BURST} schedules`);
  await insertSchedules(
    env.sql,
    range(BURST).map((i) => ({ name: scheduleName(i), task: NOOP_TASK, cron: idleCron(i) })),
  );
  const schedules = await env.sql`
    SELECT name, task, payload, version FROM schedules WHERE name LIKE ${`${PREFIX}%`} ORDER BY name`;
  const concurrency = env.config().workerConcurrency;
  try {
    const drains = [];
    const floors = [];
    for (let rep = 1; rep <= DRAIN_REPS; rep += 1) {
      drains.push(await measureDrain(env, log, schedules, rep));
      progress(`6 burst: BullMQ alone, ${BURST} jobs at concurrency ${concurrency} (${rep}/${DRAIN_REPS})`);
      floors.push(await measureFloor(env, concurrency, { waiting: true }));
    }
    progress(`6 burst: BullMQ alone, ${BURST} jobs added while its workers run`);
    const endToEndFloor = await measureFloor(env, concurrency, { waiting: false });
    const endToEnd = await measureEndToEnd(env, log);
    return { schedules: BURST, workerConcurrency: concurrency, drains, floors, endToEndFloor, endToEnd };
  } finally {
    await env.sql`DELETE FROM schedules WHERE name LIKE ${`${PREFIX}%`}`;
  }
}
