// A scheduler alone in its own process, for clean RSS and load figures (section 3). Driven by
// the parent over IPC: "load" → loaded figures, "changes" → apply timings, "poll" → the stall of
// the next poll, "fires" → fire report, "stop" → exits.
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { RUNS_QUEUE, createDb, createScheduleWriter } from "@hotbeat/shared";
import { createScheduler } from "@hotbeat/scheduler";
import { createBenchLogger } from "../lib/environment.mjs";
import { monoNowMs, sleep, waitUntil, wallNowMs } from "../lib/clock.mjs";
import { summarize } from "../lib/stats.mjs";

const {
  BENCH_DATABASE_URL: databaseUrl,
  BENCH_REDIS_URL: redisUrl,
  BENCH_NAMESPACE: namespace,
  BENCH_LOG_PATH: logPath,
} = process.env;
const log = createBenchLogger(logPath);
const send = (message) => process.send(message);
const collectGarbage = () => {
  for (let i = 0; i < 3; i += 1) globalThis.gc();
};

/** The scheduler's own pool, wrapped only to note when each of its transactions has returned. */
function wrapDb(handle, onTransactionDone) {
  const db = new Proxy(handle.db, {
    get(target, key, receiver) {
      if (key !== "transaction") return Reflect.get(target, key, receiver);
      return (...args) =>
        target.transaction(...args).then((value) => {
          onTransactionDone(monoNowMs());
          return value;
        });
    },
  });
  return { ...handle, db };
}

let state;

async function load(pollIntervalMs = 60_000) {
  collectGarbage();
  const before = process.memoryUsage();
  const db = createDb(databaseUrl, { max: 5, applicationName: "bench-scheduler-child" });
  const queueConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(RUNS_QUEUE, { connection: queueConnection, prefix: namespace });
  let lastTransactionDoneAtMs = 0;
  const scheduler = createScheduler({
    database: wrapDb(db, (atMs) => (lastTransactionDoneAtMs = atMs)),
    redisUrl,
    queue,
    log,
    namespace,
    pollIntervalMs,
  });
  const leader = new Promise((resolve) => scheduler.events.on("leader", (isLeader) => isLeader && resolve()));
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  // The collector's own pauses, beside the stalls: a stall no longer than one is V8's, not hotbeat's.
  let longestGcPauseMs = 0;
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestGcPauseMs = Math.max(longestGcPauseMs, entry.duration);
  });
  collections.observe({ entryTypes: ["gc"] });
  const t0 = monoNowMs();
  const cpuAtStart = process.cpuUsage();
  await scheduler.start();
  const loadMs = monoNowMs() - t0;
  // CPU time spent by this process: on a shared machine the wall-clock figures include the time
  // other processes held the cores, this one does not.
  const loadCpu = process.cpuUsage(cpuAtStart);
  await leader;
  // Becoming leader re-reads the stored cursors and re-places every schedule; "ready" is when
  // the event loop is free again afterwards.
  let readyAtMs = monoNowMs();
  for (let calm = 0; calm < 3;) {
    const probeAt = monoNowMs();
    await sleep(10);
    if (monoNowMs() - probeAt < 25) {
      if (calm === 0) readyAtMs = probeAt;
      calm += 1;
    } else calm = 0;
  }
  stalls.disable();
  collections.disconnect();
  collectGarbage();
  const after = process.memoryUsage();
  const held = scheduler.status().schedulesLoaded;
  state = {
    db,
    queue,
    queueConnection,
    scheduler,
    lastTransactionDoneAt: () => lastTransactionDoneAtMs,
    fired: [],
  };
  scheduler.events.on("fired", (event) =>
    state.fired.push({ atMs: wallNowMs(), dueAtMs: event.scheduledAt.getTime() }),
  );
  return {
    held,
    loadMs,
    loadCpuMs: (loadCpu.user + loadCpu.system) / 1000,
    readyMs: readyAtMs - t0,
    maxStallMs: stalls.max / 1e6,
    longestGcPauseMs,
    rssBeforeMB: before.rss / 2 ** 20,
    rssMB: after.rss / 2 ** 20,
    rssDeltaMB: (after.rss - before.rss) / 2 ** 20,
    heapDeltaBytes: after.heapUsed - before.heapUsed,
    heapPerScheduleBytes: held ? (after.heapUsed - before.heapUsed) / held : null,
  };
}

/**
 * Changes schedules one at a time through hotbeat's write path, timing each until applied. With
 * `carried`, the writer names this deployment's namespace as the API's does, so the message
 * carries the committed row and the scheduler applies it as it arrives: the answer → applied
 * figure. Without, the scheduler reads each row back: the row read → applied figure, the apply in
 * memory alone.
 */
async function applyChanges(changes, carried) {
  const db = createDb(databaseUrl, { max: 2, applicationName: "bench-writer" });
  const publisher = new Redis(redisUrl);
  const writer = createScheduleWriter({
    db,
    publisher,
    log,
    defaultTimezone: "UTC",
    ...(carried && { namespace }),
  });
  const answerToApplied = [];
  const loadedToApplied = [];
  try {
    for (const { name, patch } of changes) {
      let resolveApplied;
      const applied = new Promise((resolve) => (resolveApplied = resolve));
      let version = Infinity;
      const onApplied = (event) => {
        if (event.name === name && event.version >= version) resolveApplied(monoNowMs());
      };
      state.scheduler.events.on("applied", onApplied);
      const result = await writer.update(name, patch, { actor: "bench", source: "api" });
      const answeredAtMs = monoNowMs();
      version = result.schedule.version;
      const appliedAtMs = await Promise.race([applied, sleep(5000).then(() => null)]);
      state.scheduler.events.off("applied", onApplied);
      if (appliedAtMs === null) continue;
      if (carried) answerToApplied.push(Math.max(0, appliedAtMs - answeredAtMs));
      else loadedToApplied.push(appliedAtMs - state.lastTransactionDoneAt());
    }
  } finally {
    publisher.disconnect();
    await db.close();
  }
  return carried
    ? { answerToApplied: summarize(answerToApplied) }
    : { loadedToApplied: summarize(loadedToApplied) };
}

/** The longest event-loop stall and collector pause from now until the next poll and self-check end. */
async function measurePoll(timeoutMs) {
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  let longestGcPauseMs = 0;
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestGcPauseMs = Math.max(longestGcPauseMs, entry.duration);
  });
  const checked = new Promise((resolve) => state.scheduler.events.once("selfChecked", resolve));
  stalls.enable();
  collections.observe({ entryTypes: ["gc"] });
  try {
    const result = await Promise.race([checked.then(() => "checked"), sleep(timeoutMs).then(() => null)]);
    if (result === null) throw new Error(`no poll within ${timeoutMs} ms`);
    return { pollStallMs: stalls.max / 1e6, pollGcPauseMs: longestGcPauseMs };
  } finally {
    stalls.disable();
    collections.disconnect();
  }
}

async function waitForFires(expected, timeoutMs) {
  await waitUntil(() => state.fired.length >= expected, timeoutMs, 20);
  const lateness = state.fired.map((f) => f.atMs - f.dueAtMs);
  return {
    count: state.fired.length,
    lastEnqueuedAfterDueMs: lateness.length ? Math.max(...lateness) : null,
    enqueued: summarize(lateness),
  };
}

async function stop() {
  if (!state) return;
  await state.scheduler.stop();
  await state.queue.close();
  state.queueConnection.disconnect();
  await state.db.close();
}

process.on("message", async (message) => {
  try {
    if (message.cmd === "load") send({ type: "loaded", result: await load(message.pollIntervalMs) });
    else if (message.cmd === "changes")
      send({ type: "changes", result: await applyChanges(message.changes, message.carried) });
    else if (message.cmd === "poll") send({ type: "polled", result: await measurePoll(message.timeoutMs) });
    else if (message.cmd === "fires")
      send({ type: "fires", result: await waitForFires(message.expected, message.timeoutMs) });
    else if (message.cmd === "stop") {
      await stop();
      send({ type: "stopped" });
      setTimeout(() => process.exit(0), 50);
    }
  } catch (error) {
    send({ type: "error", message: String(error?.stack ?? error) });
  }
});
send({ type: "ready" });
