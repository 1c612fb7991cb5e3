import postgres from "postgres";
import { sleep, wallNowMs } from "./apiClient.mjs";
import { findLeader } from "./leader.mjs";

// The faults that act on the wire, through the TCP proxies every scheduler and the API reach
// PostgreSQL and Redis by (deployment.mjs, tcpProxy.mjs): exact crash points, latency, and a
// half-open connection.

export const CRASH_BEFORE_ENQUEUE = "kill -9 leader after run row, before enqueue";
export const CRASH_BEFORE_MARK = "kill -9 leader after enqueue, before mark";
export const LATENCY = "latency 50-200 ms each way, PG and Redis, 10 s";
export const HALF_OPEN = "half-open PG and Redis of leader and API 15 s";

const LATENCY_MS = [50, 200];
const HALF_OPEN_MS = 15_000;
const TRIGGER_TIMEOUT_MS = 20_000;

/**
 * Arms the leader's proxy `kind` ("redis": BullMQ's add script, "pg": the UPDATE of
 * `enqueued_at`) and SIGKILLs the leader the moment it sends those bytes, before they are
 * forwarded; restarts it 1 s later.
 */
async function killLeaderOnBytes(ctx, kind) {
  const leader = await findLeader(ctx);
  const proxy = leader.proxies[kind];
  const startMs = wallNowMs();
  const what = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proxy.disarm();
      reject(new Error(`${proxy.name}: no trigger bytes within ${TRIGGER_TIMEOUT_MS} ms`));
    }, TRIGGER_TIMEOUT_MS);
    proxy.arm((description) => {
      // Synchronously, before the proxy resets the connections: the process must not see the
      // reset and carry on.
      leader.child.kill("SIGKILL");
      clearTimeout(timer);
      resolve(description);
    });
  });
  const killedMs = wallNowMs();
  await leader.kill();
  const unmarked = await countUnmarkedRuns(ctx.deployment.pg.url);
  await sleep(1000);
  await leader.restart();
  return {
    startMs,
    endMs: wallNowMs(),
    detail: `${leader.name} killed on ${what}, ${Math.round(killedMs - startMs)} ms after arming; ${unmarked} runs of the last 3 s never marked enqueued`,
  };
}

/**
 * The runs recorded in the 3 s before the kill and never marked enqueued (whatever their status since:
 * a worker may already have run a job that reached Redis): the evidence that the kill fell where
 * it aims, and what the sweeper must take up. Read right after the kill, before the restart.
 */
async function countUnmarkedRuns(url) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql`
      SELECT count(*)::int AS n FROM runs
      WHERE enqueued_at IS NULL AND status NOT IN ('missed', 'skipped')
        AND created_at > now() - interval '3 seconds'`;
    return row.n;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

function proxiesOf(procs) {
  return procs.flatMap((p) => (p.proxies ? [p.proxies.pg, p.proxies.redis] : []));
}

export const WIRE_FAULTS = {
  [CRASH_BEFORE_ENQUEUE]: (ctx) => killLeaderOnBytes(ctx, "redis"),
  [CRASH_BEFORE_MARK]: (ctx) => killLeaderOnBytes(ctx, "pg"),
  [LATENCY]: async (ctx) => {
    const proxies = proxiesOf([ctx.deployment.api, ...ctx.deployment.schedulers]);
    const startMs = wallNowMs();
    for (const proxy of proxies) proxy.setLatency(LATENCY_MS);
    await sleep(10_000);
    for (const proxy of proxies) proxy.setLatency(null);
    return { startMs, endMs: wallNowMs(), detail: `${proxies.length} proxies` };
  },
  [HALF_OPEN]: async (ctx) => {
    const leader = await findLeader(ctx);
    const proxies = proxiesOf([leader, ctx.deployment.api]);
    const startMs = wallNowMs();
    for (const proxy of proxies) proxy.freeze();
    // Longer than the lease (5 s) and the Redis command timeout (5 s); PostgreSQL has no timeout
    // of its own on a silent connection, so the close at the end is what frees those.
    await sleep(HALF_OPEN_MS);
    for (const proxy of proxies) proxy.closeFrozen();
    return { startMs, endMs: wallNowMs(), detail: `${leader.name} and api-1` };
  },
};
