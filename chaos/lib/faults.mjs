import { Redis } from "ioredis";
import { sleep, wallNowMs } from "./apiClient.mjs";
import { CLOCK_FAULTS } from "./clockFaults.mjs";
import { HOSTILE_ROWS, writeHostileRows } from "./hostileRows.mjs";
import { findLeader } from "./leader.mjs";
import { SSRF_MATRIX, runSsrfMatrix } from "./ssrfMatrix.mjs";
import { WIRE_FAULTS } from "./wireFaults.mjs";

/**
 * Each fault: does it, undoes it, and says when it began and when it was undone. Names are the
 * rows of the table.
 */
export const FAULTS = {
  "kill -9 leader, restart 1 s later": async (ctx) => {
    const leader = await findLeader(ctx);
    const startMs = wallNowMs();
    await leader.kill();
    await sleep(1000);
    await leader.restart();
    return { startMs, endMs: wallNowMs(), detail: leader.name };
  },
  "SIGSTOP leader 8 s (lease 5 s), SIGCONT": async (ctx) => {
    const leader = await findLeader(ctx);
    const startMs = wallNowMs();
    leader.signal("SIGSTOP");
    await sleep(8000);
    leader.signal("SIGCONT");
    return { startMs, endMs: wallNowMs(), detail: leader.name };
  },
  "PostgreSQL immediate stop 10 s": async (ctx) => {
    const startMs = wallNowMs();
    await ctx.deployment.pg.crash();
    await sleep(10_000);
    await ctx.deployment.pg.start();
    return { startMs, endMs: wallNowMs() };
  },
  "Redis SIGKILL (queue lost), back 3 s later": async (ctx) => {
    const startMs = wallNowMs();
    await ctx.deployment.redis.crash();
    await sleep(3000);
    await ctx.deployment.redis.start();
    return { startMs, endMs: wallNowMs() };
  },
  "CLIENT KILL of every scheduler subscriber": async (ctx) => {
    const redis = new Redis(ctx.deployment.redis.url, { maxRetriesPerRequest: 2, lazyConnect: true });
    try {
      await redis.connect();
      const list = String(await redis.client("LIST"));
      const ids = list
        .split("\n")
        .filter((line) => /name=\S*-scheduler-sub-/.test(line))
        .map((line) => /id=(\d+)/.exec(line)?.[1])
        .filter(Boolean);
      const startMs = wallNowMs();
      for (const id of ids) await redis.client("KILL", "ID", id);
      if (ids.length === 0) throw new Error("no connection named *-scheduler-sub-* in CLIENT LIST");
      return { startMs, endMs: wallNowMs(), detail: `${ids.length} connections` };
    } finally {
      redis.disconnect();
    }
  },
  "kill -9 worker mid-task, restart 1 s later": async (ctx) => {
    const worker = ctx.deployment.workers[ctx.workerTurn++ % ctx.deployment.workers.length];
    // Slow schedules keep the oracle answering late, so a task is in flight most of the time.
    const deadlineMs = wallNowMs() + 5000;
    while (ctx.oracle.inFlight() === 0 && wallNowMs() < deadlineMs) await sleep(20);
    const inFlight = ctx.oracle.inFlight();
    const startMs = wallNowMs();
    await worker.kill();
    await sleep(1000);
    await worker.restart();
    return { startMs, endMs: wallNowMs(), detail: `${worker.name}, ${inFlight} calls in flight` };
  },
  ...WIRE_FAULTS,
  ...CLOCK_FAULTS,
  [HOSTILE_ROWS]: async (ctx) => {
    // The long tier repeats its cycle: the rows, in place until after the timeline, are written once.
    if (ctx.hostileRowsWritten)
      return { startMs: wallNowMs(), endMs: wallNowMs(), detail: "already in place" };
    ctx.hostileRowsWritten = true;
    const { event, finish } = await writeHostileRows(ctx);
    ctx.finishers.push(async () => {
      ctx.hostileRows = await finish();
    });
    return event;
  },
  [SSRF_MATRIX]: async (ctx) => {
    const { event, result } = await runSsrfMatrix(ctx, ctx.oracleHost, ctx.tier.ssrfRedirectCodes);
    ctx.ssrf = result;
    return event;
  },
};

/** The faults a deployment of one's own allows: none that kills a process or a server. */
export const LOCAL_ONLY_FAULTS = new Set(Object.keys(FAULTS));
