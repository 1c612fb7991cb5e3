import { summarize } from "../lib/stats.mjs";
import { ceilToSecondMs, cronAt, monoNowMs, sleep, waitUntil, wallNowMs } from "../lib/clock.mjs";
import { insertSchedules, pad, progress, range } from "../lib/environment.mjs";
import {
  IDLE_CRON,
  NOOP_TASK,
  createClient,
  startBenchApi,
  startBenchScheduler,
  startBenchWorker,
  taskProbe,
} from "../lib/stack.mjs";

/** PATCHes are started this far apart, so several are in flight at once and the run stays short. */
const SPACING_MS = 300;

/**
 * Section 5: API, scheduler and worker in one process (as `npm start` runs them). Each
 * iteration PATCHes an idle schedule to a six-field cron for the first whole second at least
 * 1 s ahead, then waits for the task to run at that instant.
 */
export async function benchEndToEnd(env, log, options) {
  const count = options.endToEndCount;
  const names = range(count).map((i) => `e2e-${pad(i)}`);
  await insertSchedules(
    env.sql,
    names.map((name) => ({ name, task: NOOP_TASK, cron: IDLE_CRON })),
  );
  const worker = await startBenchWorker(env, log);
  const scheduler = await startBenchScheduler(env, log);
  const api = await startBenchApi(env, log);
  const client = createClient(api.url);
  const runs = new Map();
  taskProbe.onStart = (context, atMs) => {
    if (context.scheduleName.startsWith("e2e-"))
      runs.set(context.scheduleName, { atMs, scheduledAtMs: context.scheduledAt.getTime() });
  };
  const patches = [];
  try {
    progress(`5 end to end: ${count} PATCHes, one every ${SPACING_MS} ms, each due ≥ 1 s ahead`);
    const t0 = monoNowMs();
    const inFlight = [];
    for (const [i, name] of names.entries()) {
      const dueAtMs = ceilToSecondMs(wallNowMs() + 1000);
      const sentAtMs = wallNowMs();
      inFlight.push(
        client.patch(name, { cron: cronAt(dueAtMs) }).then(() => patches.push({ name, dueAtMs, sentAtMs })),
      );
      await sleep(t0 + (i + 1) * SPACING_MS - monoNowMs());
    }
    await Promise.all(inFlight);
    await waitUntil(() => runs.size >= count, 5000);
  } finally {
    await client.close();
    await api.close();
    await scheduler.stop();
    await worker.close({ graceMs: 2000 });
  }
  const atNewInstant = patches.filter((p) => runs.get(p.name)?.scheduledAtMs === p.dueAtMs);
  return {
    iterations: count,
    ranAtNewInstant: atNewInstant.length,
    ranElsewhere: patches.filter((p) => runs.has(p.name) && runs.get(p.name).scheduledAtMs !== p.dueAtMs)
      .length,
    notRun: patches.filter((p) => !runs.has(p.name)).length,
    lateness: summarize(atNewInstant.map((p) => runs.get(p.name).atMs - p.dueAtMs)),
    patchToRunning: summarize(atNewInstant.map((p) => runs.get(p.name).atMs - p.sentAtMs)),
  };
}
