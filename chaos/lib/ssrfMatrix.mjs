import { createServer } from "node:http";
import postgres from "postgres";
import { sleep, wallNowMs } from "./apiClient.mjs";

// The SSRF matrix of the `http` task: every encoding of a loopback, private, link-local or
// mapped address as a target, directly and behind an allowed target that redirects to it. The
// deployment's HOTBEAT_HTTP_TASK_ALLOW names only the oracle's address (127.0.0.9), so each must
// be refused before any connection; listeners on the local addresses count the connections that
// got through anyway.

export const SSRF_MATRIX = "SSRF matrix of the http task";

/** Hosts as written in the URL. The local ones reach a counting listener if ever connected to. */
const TARGETS = [
  "127.0.0.1",
  "127.1",
  "0x7f000001",
  "2130706433",
  "017700000001",
  "127.0.0.2",
  "127.0.0.3",
  "[::1]",
  "[::ffff:127.0.0.1]",
  "[::ffff:7f00:1]",
  "0.0.0.0",
  "169.254.169.254",
  "10.0.0.1",
  "192.168.0.1",
  "172.16.0.1",
  "[fd00::1]",
  "[fe80::1]",
  "localhost",
  "localhost.",
];
/** Every code in the default tier; `--short` takes 301 and 307 (one that keeps the method, one that may not). */
export const REDIRECT_CODES = [301, 302, 307, 308];
/** Schedules created and triggered at once: the step's cost is these API round trips. */
const CONCURRENCY = 8;
const LISTEN_ON = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "::1"];
/** The words of the address policy's refusal (worker/src/outbound/addressPolicy.ts). */
const CLEAR_ERROR = /refused to connect to \S+.*address/;
const UNRESOLVED = /getaddrinfo (ENOTFOUND|EAI_AGAIN)/;
const FINISH_WAIT_MS = 60_000;

/** Listens on every local address in LISTEN_ON on one port, counting connections. */
async function startCounters() {
  for (let attempt = 0; attempt < 10; attempt++) {
    const servers = [];
    let connections = 0;
    const seen = [];
    try {
      let port = 0;
      for (const host of LISTEN_ON) {
        const server = createServer((req, res) => res.end("reached"));
        server.on("connection", (socket) => {
          connections += 1;
          seen.push(`${host} from ${socket.remoteAddress}`);
        });
        await new Promise((resolve, reject) => {
          server.once("error", reject);
          server.listen(port, host, resolve);
        }).catch((error) => {
          // No IPv6 loopback on this machine: the IPv6 targets are still scored by their error.
          if (host === "::1" && error.code === "EADDRNOTAVAIL") return;
          throw error;
        });
        if (server.listening) servers.push(server);
        port = servers[0].address().port;
      }
      return {
        port,
        hosts: servers.map((s) => s.address().address),
        connections: () => connections,
        seen,
        close: () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))),
      };
    } catch (error) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      if (error.code !== "EADDRINUSE") throw error;
    }
  }
  throw new Error("no port free on every local address");
}

/** An allowed target (on the oracle's address) that redirects to `?to=` with `?code=`. */
async function startRedirector(host) {
  let hops = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://redirector");
    hops += 1;
    res.writeHead(Number(url.searchParams.get("code")), { location: url.searchParams.get("to") });
    res.end();
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${server.address().port}`,
    hops: () => hops,
    close: () => new Promise((r) => server.close(r)),
  };
}

function planCases(counterPort, redirectorUrl, redirectCodes) {
  const cases = [];
  TARGETS.forEach((host, i) => {
    const target = `http://${host}:${counterPort}/ssrf`;
    const id = String(i).padStart(2, "0");
    cases.push({ name: `ssrf-${id}-direct`, host, via: "direct", url: target });
    for (const code of redirectCodes)
      cases.push({
        name: `ssrf-${id}-r${code}`,
        host,
        via: `${code} redirect`,
        url: `${redirectorUrl}/to?code=${code}&to=${encodeURIComponent(target)}`,
      });
  });
  return cases;
}

/**
 * The step: a disabled schedule per case, each triggered once by hand; then waits until every
 * run is finished and scores: no connection reached a listener, every run failed with the
 * policy's refusal (or the API refused the target when it was saved).
 */
export async function runSsrfMatrix(ctx, oracleHost, redirectCodes = REDIRECT_CODES) {
  const startMs = wallNowMs();
  const counters = await startCounters();
  const redirector = await startRedirector(oracleHost);
  const sql = postgres(ctx.deployment.pg.url, { max: 1, onnotice: () => undefined });
  try {
    const cases = planCases(counters.port, redirector.url, redirectCodes);
    const queue = [...cases];
    const createAndTrigger = async (c) => {
      const body = {
        name: c.name,
        task: "http",
        cron: "0 3 1 1 *",
        enabled: false,
        payload: { url: c.url, timeoutMs: 2000 },
      };
      const created = await ctx.api.post("/api/v1/schedules", body);
      c.saveStatus = created.status;
      if (created.status !== 201) return;
      const triggered = await ctx.api.post(`/api/v1/schedules/${c.name}/trigger`, {});
      c.triggerStatus = triggered.status;
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (queue.length > 0) await createAndTrigger(queue.shift());
      }),
    );
    const deadlineMs = wallNowMs() + FINISH_WAIT_MS;
    let runs = [];
    for (;;) {
      runs = await sql`
        SELECT schedule_name, status, error FROM runs WHERE schedule_name LIKE 'ssrf-%' AND kind = 'manual'`;
      // A name that does not resolve is a transient error: its run is retried with backoff (its
      // error stored meanwhile), which says all there is to know without waiting for the last try.
      const finished = runs.filter(
        (r) => !["queued", "running"].includes(r.status) || UNRESOLVED.test(r.error ?? ""),
      ).length;
      if (finished >= cases.filter((c) => c.triggerStatus === 202).length || wallNowMs() > deadlineMs) break;
      await sleep(500);
    }
    const byName = new Map(runs.map((r) => [r.schedule_name, r]));
    for (const c of cases) {
      const run = byName.get(c.name);
      c.status = run?.status ?? null;
      c.error = run?.error ?? null;
      c.refused = c.saveStatus === 400 || (c.status === "failed" && CLEAR_ERROR.test(c.error ?? ""));
      // A name this machine cannot resolve (`localhost.` without a resolver that knows it) fails
      // before any address exists: no connection, but nothing the policy decided either.
      c.unresolved = !c.refused && UNRESOLVED.test(c.error ?? "");
    }
    await Promise.all(cases.map((c) => ctx.api.delete(`/api/v1/schedules/${c.name}`)));
    return {
      event: { startMs, endMs: wallNowMs(), detail: `${cases.length} targets` },
      result: {
        listeners: counters.hosts,
        connections: counters.connections(),
        connectionsSeen: counters.seen,
        redirectHops: redirector.hops(),
        cases,
      },
    };
  } finally {
    await sql.end({ timeout: 2 });
    await counters.close();
    await redirector.close();
  }
}

/** One line for the table, and the failures: any connection, any run not refused clearly. */
export function summarizeSsrf(result) {
  if (!result) return { line: null, failures: [] };
  const failures = [];
  if (result.connections > 0)
    failures.push(
      `ssrf: ${result.connections} connections reached a local listener (${result.connectionsSeen.join(", ")})`,
    );
  const notRefused = result.cases.filter((c) => !c.refused && !c.unresolved);
  const unresolved = result.cases.filter((c) => c.unresolved);
  for (const c of notRefused)
    failures.push(`ssrf: ${c.name} (${c.host}, ${c.via}): save ${c.saveStatus}, run ${c.status}: ${c.error}`);
  const direct = result.cases.filter((c) => c.via === "direct");
  const redirected = result.cases.filter((c) => c.via !== "direct");
  const line =
    `ssrf: ${direct.length} targets direct and ${redirected.length} behind a redirect (${[...new Set(redirected.map((c) => c.via.split(" ")[0]))].join("/")}) from an allowed ` +
    `target: refused ${result.cases.filter((c) => c.refused).length}/${result.cases.length} ` +
    `(at save: ${result.cases.filter((c) => c.saveStatus === 400).length}), not resolvable here: ` +
    `${unresolved.length} (${[...new Set(unresolved.map((c) => c.host))].join(", ") || "none"}); connections to ` +
    `${result.listeners.join(", ")}: ${result.connections}; redirect hops served: ${result.redirectHops}`;
  return { line, failures };
}
