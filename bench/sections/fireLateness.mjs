import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { RUNS_QUEUE, RUN_JOB_NAME, RUN_JOB_OPTIONS, runJobId } from "@hotbeat/shared";
import { summarize } from "../lib/stats.mjs";
import { ceilToSecondMs, cronAt, sleep, waitUntil, wallNowMs } from "../lib/clock.mjs";
import { insertSchedules, pad, progress, range } from "../lib/environment.mjs";
import { NOOP_TASK, startBenchScheduler, startBenchWorker, taskProbe } from "../lib/stack.mjs";
import { runBullmqFloor } from "./fireFloor.mjs";

const SCHEDULES = 1000;
const SPREAD_SECONDS = 20;
/** Time for the scheduler (or the job schedulers' setup) to be ready before the first fire. */
const LEAD_MS = 5000;

/** One fire instant per schedule: 50 schedules on each of 20 consecutive seconds. */
function planFires(firstAtMs, prefix) {
  return range(SCHEDULES).map((i) => {
    const dueAtMs = firstAtMs + (i % SPREAD_SECONDS) * 1000;
    return { name: `${prefix}-${pad(i)}`, dueAtMs, cron: cronAt(dueAtMs) };
  });
}

/** Records due → picked up (BullMQ 'active') and due → task started for one set of fires. */
function observeWorker(worker, prefix) {
  const picked = [];
  const started = [];
  worker.worker.onQueueEvent("active", (job) => {
    if (job.data.schedule.startsWith(prefix)) picked.push(wallNowMs() - Date.parse(job.data.scheduledAt));
  });
  taskProbe.onStart = (context, atMs) => {
    if (context.scheduleName.startsWith(prefix)) started.push(atMs - context.scheduledAt.getTime());
  };
  return { picked, started };
}

/**
 * hotbeat: the in-memory timeline enqueues each fire when due; the worker runs it. Without a
 * worker, the same measures the scheduler alone (its jobs are then removed from the queue).
 */
async function runHotbeat(env, log, { prefix, withWorker }) {
  const fires = planFires(ceilToSecondMs(wallNowMs()) + LEAD_MS, prefix);
  await insertSchedules(
    env.sql,
    fires.map(({ name, cron }) => ({ name, task: NOOP_TASK, cron })),
  );
  const worker = withWorker ? await startBenchWorker(env, log) : undefined;
  const scheduler = await startBenchScheduler(env, log);
  const enqueued = [];
  scheduler.scheduler.events.on("fired", (event) => enqueued.push(wallNowMs() - event.scheduledAt.getTime()));
  const { picked, started } = worker ? observeWorker(worker, prefix) : { picked: [], started: [] };
  try {
    const lastDueMs = Math.max(...fires.map((f) => f.dueAtMs));
    await sleep(lastDueMs - wallNowMs());
    await waitUntil(() => (worker ? started : enqueued).length >= SCHEDULES, 15_000);
  } finally {
    await scheduler.stop();
    await worker?.close({ graceMs: 2000 });
  }
  if (!worker) {
    const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(RUNS_QUEUE, { connection, prefix: env.namespace });
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
  return {
    enqueued: summarize(enqueued),
    picked: summarize(picked),
    started: summarize(started),
    expected: SCHEDULES,
  };
}

/**
 * One queued run row per fire, for the BullMQ rows: their jobs point at it, so the worker's code
 * path (claim the run, call the task, record the outcome) is exactly the one hotbeat's runs take.
 */
async function insertRunRows(env, fires) {
  const runRows = await env.sql`
    INSERT INTO runs ${env.sql(
      fires.map((f) => ({
        schedule_name: f.name,
        task: NOOP_TASK,
        kind: "manual",
        scheduled_at: new Date(f.dueAtMs),
        schedule_version: 1,
        status: "queued",
      })),
    )}
    RETURNING id, schedule_name`;
  return new Map(runRows.map((r) => [r.schedule_name, r.id]));
}

const jobData = (fire, runId) => ({
  runId,
  schedule: fire.name,
  task: NOOP_TASK,
  scheduledAt: new Date(fire.dueAtMs).toISOString(),
});

/**
 * BullMQ job schedulers (`upsertJobScheduler`, cron pattern and `tz`, a template with the job's
 * name, data and hotbeat's own job options: BullMQ's recommended way to repeat jobs since 5.16)
 * for the same instants, run by the same hotbeat worker (BullMQ's default worker options, hotbeat's
 * concurrency; since BullMQ 2 the workers themselves promote delayed and scheduled jobs).
 */
async function runBullmq(env, log) {
  const namespace = `${env.namespace}-bq`;
  const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(RUNS_QUEUE, { connection, prefix: namespace });
  const worker = await startBenchWorker(env, log, { namespace });
  const { picked, started } = observeWorker(worker, "bq");
  try {
    const fires = planFires(ceilToSecondMs(wallNowMs()) + LEAD_MS, "bq");
    const runIdOf = await insertRunRows(env, fires);
    const { attempts, backoff, removeOnComplete, removeOnFail } = RUN_JOB_OPTIONS;
    for (let i = 0; i < fires.length; i += 50) {
      await Promise.all(
        fires.slice(i, i + 50).map((f) =>
          queue.upsertJobScheduler(
            f.name,
            { pattern: f.cron, tz: "UTC" },
            {
              name: RUN_JOB_NAME,
              data: jobData(f, runIdOf.get(f.name)),
              opts: { attempts, backoff, removeOnComplete, removeOnFail },
            },
          ),
        ),
      );
    }
    if (wallNowMs() > fires[0].dueAtMs)
      progress("  warning: job schedulers were still being created at the first fire");
    const lastDueMs = Math.max(...fires.map((f) => f.dueAtMs));
    await sleep(lastDueMs - wallNowMs());
    await waitUntil(() => started.length >= SCHEDULES, 15_000);
    for (const f of fires) await queue.removeJobScheduler(f.name);
  } finally {
    await worker.close({ graceMs: 2000 });
    await queue.close();
    connection.disconnect();
  }
  return { picked: summarize(picked), started: summarize(started), expected: SCHEDULES };
}

/**
 * What a BullMQ user would hand-roll: one `queue.add` per fire with `delay` to its instant, added
 * ahead (before the first fire), same job options, same worker and concurrency. Nothing here
 * would follow an edit of the schedule: that is the price of the figure.
 */
async function runBullmqDelayed(env, log) {
  const namespace = `${env.namespace}-bq`;
  const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(RUNS_QUEUE, { connection, prefix: namespace });
  const worker = await startBenchWorker(env, log, { namespace });
  const { picked, started } = observeWorker(worker, "bd");
  try {
    const fires = planFires(ceilToSecondMs(wallNowMs()) + LEAD_MS, "bd");
    const runIdOf = await insertRunRows(env, fires);
    for (let i = 0; i < fires.length; i += 50) {
      await Promise.all(
        fires.slice(i, i + 50).map((f) => {
          const runId = runIdOf.get(f.name);
          const delay = Math.max(0, Math.round(f.dueAtMs - wallNowMs()));
          return queue.add(RUN_JOB_NAME, jobData(f, runId), {
            ...RUN_JOB_OPTIONS,
            jobId: runJobId(runId),
            delay,
          });
        }),
      );
    }
    if (wallNowMs() > fires[0].dueAtMs)
      progress("  warning: delayed jobs were still being added at the first fire");
    const lastDueMs = Math.max(...fires.map((f) => f.dueAtMs));
    await sleep(lastDueMs - wallNowMs());
    await waitUntil(() => started.length >= SCHEDULES, 15_000);
  } finally {
    await worker.close({ graceMs: 2000 });
    await queue.close();
    connection.disconnect();
  }
  return { picked: summarize(picked), started: summarize(started), expected: SCHEDULES };
}

/** Section 2: how late fires start, hotbeat against BullMQ (job schedulers, delayed jobs), one after the other. */
export async function benchFireLateness(env, log) {
  progress(`2 fire lateness: hotbeat, ${SCHEDULES} six-field crons over ${SPREAD_SECONDS} s`);
  const hotbeat = await runHotbeat(env, log, { prefix: "fire", withWorker: true });
  progress(`2 fire lateness: BullMQ job schedulers, the same ${SCHEDULES} instants`);
  const bullmq = await runBullmq(env, log);
  progress(`2 fire lateness: BullMQ delayed jobs added ahead, the same ${SCHEDULES} instants`);
  const bullmqDelayed = await runBullmqDelayed(env, log);
  progress(
    `2 fire lateness: hotbeat's scheduler alone (no worker), ${SCHEDULES} fires over ${SPREAD_SECONDS} s`,
  );
  const schedulerAlone = await runHotbeat(env, log, { prefix: "solo", withWorker: false });
  progress(`2 fire lateness: the floor, BullMQ alone adding each second's fires at their instant`);
  const floor = await runBullmqFloor(env, planFires(ceilToSecondMs(wallNowMs()) + LEAD_MS, "floor"));
  return { hotbeat, bullmq, bullmqDelayed, schedulerAlone, floor };
}
