import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { Pool } from "undici";
import { RUNS_QUEUE, createDb } from "@hotbeat/shared";
import { startScheduler } from "@hotbeat/scheduler";
import { fetchLoopShares, startWorker } from "@hotbeat/worker";
import { buildApp, startApi } from "@hotbeat/api";
import { monoNowMs, wallNowMs } from "./clock.mjs";

export const NOOP_TASK = "bench.noop";
/** A schedule that never fires during a run (03:00 UTC on 1 January), for change benchmarks. */
export const IDLE_CRON = "0 3 1 1 *";

/**
 * The one task the benchmark registers: does nothing but note when it started, through
 * whichever probe the running section installed.
 */
export const taskProbe = { onStart: (_context, _atMs) => undefined };
const noopTask = {
  name: NOOP_TASK,
  retries: { attempts: 1, backoffMs: 0 },
  handler: async (_payload, context) => {
    taskProbe.onStart(context, wallNowMs());
    return undefined;
  },
};

/** hotbeat's own startScheduler, as main.ts runs it. */
export function startBenchScheduler(env, log, options = {}) {
  return startScheduler(env.config(options), log);
}

/** hotbeat's own startWorker, with the no-op task added, as main.ts runs it. */
export function startBenchWorker(env, log, options = {}) {
  return startWorker(env.config(options), log, [noopTask]);
}

/**
 * Bare BullMQ Workers running `processor` on `queueName`, fetching as hotbeat's worker does at
 * this concurrency (the same fetch loops, see fetchLoopShares): the floors' workers.
 */
export function startBareWorkers({ queueName, connection, prefix, concurrency }, processor) {
  const loops = fetchLoopShares(concurrency).map(
    (share) => new Worker(queueName, processor, { connection, prefix, concurrency: share }),
  );
  return {
    loops: loops.length,
    waitUntilReady: () => Promise.all(loops.map((loop) => loop.waitUntilReady())),
    close: () => Promise.all(loops.map((loop) => loop.close())),
  };
}

const UNLIMITED_WRITES = { max: 1_000_000_000, timeWindowMs: 60_000 };

/** hotbeat's own startApi on 127.0.0.1 and a free port; the write rate limit is lifted. */
export async function startBenchApi(env, log) {
  const api = await startApi(env.config(), log, { rateLimit: UNLIMITED_WRITES });
  return { url: api.url, close: () => api.close() };
}

/**
 * The same app whose write path publishes nothing: push disabled, so the scheduler only learns
 * of changes through its poll (the django-celery-beat way).
 */
export async function startSilentApi(env, log) {
  const config = env.config();
  const db = createDb(config.databaseUrl, { applicationName: "bench-api-silent" });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  redis.publish = async () => 0;
  const queueConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const queue = new Queue(RUNS_QUEUE, { connection: queueConnection, prefix: config.redisNamespace });
  const app = await buildApp({ database: db, redis, queue, log, config, rateLimit: UNLIMITED_WRITES });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    async close() {
      await app.close();
      await queue.close();
      queueConnection.disconnect();
      redis.disconnect();
      await db.close();
    },
  };
}

/** A keep-alive HTTP client for the API on loopback. */
export function createClient(url) {
  const pool = new Pool(url, { connections: 128, pipelining: 1 });
  return {
    /** PATCHes one schedule; resolves when the whole answer is in, with its arrival time. */
    async patch(name, body) {
      const sentAtMs = monoNowMs();
      const sentAtWallMs = wallNowMs();
      const res = await pool.request({
        path: `/api/v1/schedules/${encodeURIComponent(name)}`,
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await res.body.json();
      const answeredAtMs = monoNowMs();
      if (res.statusCode !== 200)
        throw new Error(`PATCH ${name} → ${res.statusCode}: ${JSON.stringify(answer)}`);
      return {
        name,
        version: answer.schedule.version,
        changed: answer.changed,
        sentAtMs,
        sentAtWallMs,
        answeredAtMs,
      };
    },
    close: () => pool.close(),
  };
}

/**
 * Every `applied` event of a scheduler, by name, stamped with performance.now(); answers "when
 * did this scheduler first hold version ≥ v of this schedule" (a poll may skip intermediate ones).
 */
export function trackApplied(events) {
  const byName = new Map();
  const waiters = new Map();
  const onApplied = ({ name, version }) => {
    const atMs = monoNowMs();
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push({ version, atMs });
    const pending = waiters.get(name);
    if (!pending) return;
    for (const waiter of [...pending]) {
      if (version >= waiter.version) {
        pending.delete(waiter);
        waiter.resolve(atMs);
      }
    }
  };
  events.on("applied", onApplied);
  const firstAt = (name, version) => byName.get(name)?.find((a) => a.version >= version)?.atMs ?? null;
  return {
    firstAt,
    /** Resolves with the applied instant, or null after `timeoutMs`. */
    waitFor(name, version, timeoutMs) {
      const known = firstAt(name, version);
      if (known !== null) return Promise.resolve(known);
      return new Promise((resolve) => {
        let set = waiters.get(name);
        if (!set) waiters.set(name, (set = new Set()));
        const waiter = { version, resolve };
        const timer = setTimeout(() => {
          set.delete(waiter);
          resolve(null);
        }, timeoutMs);
        waiter.resolve = (atMs) => {
          clearTimeout(timer);
          resolve(atMs);
        };
        set.add(waiter);
      });
    },
    stop: () => events.off("applied", onApplied),
  };
}
