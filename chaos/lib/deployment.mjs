import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnRole, waitForExit, waitForLine } from "./processes.mjs";
import { freePort, startPrivatePostgres, startPrivateRedis } from "./servers.mjs";
import { startTcpProxy } from "./tcpProxy.mjs";
import { createEnqueueMatcher, createMarkMatcher } from "./wireMatchers.mjs";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const READY = {
  api: /"msg":"api listening"/,
  scheduler: /"msg":"schedules loaded"/,
  worker: /"msg":"worker started"/,
};

/**
 * Everything the suite starts, torn down by `teardown()` whatever happens: on success, on a
 * failure, on Ctrl-C. Teardown is synchronous so that it also runs from an exit handler.
 */
export function createTeardown() {
  const steps = [];
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    for (const step of steps.reverse()) {
      try {
        step();
      } catch (error) {
        process.stderr.write(`teardown step failed: ${error?.message ?? error}\n`);
      }
    }
  };
  process.once("exit", run);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: tearing down the chaos deployment\n`);
      run();
      process.exit(130);
    });
  }
  return { add: (step) => steps.push(step), run };
}

/**
 * A private PostgreSQL cluster and redis-server in a temp folder, and hotbeat in split roles
 * (`node packages/<role>/dist/main.js`): one API, `schedulers` schedulers, `workers` workers.
 * The API and each scheduler reach PostgreSQL and Redis through TCP proxies of their own
 * (`proc.proxies`), which the wire faults act on; workers connect directly. `allowHost` is the
 * only non-public address the `http` task may reach (the oracle's). With `fakeTimeLib` (the path
 * of libfaketime.so.1), each scheduler runs under it with a clock file of its own, which
 * `proc.stepClock(seconds)` rewrites to shift its wall clock (never its monotonic clock).
 */
export async function startDeployment({
  teardown,
  schedulers = 3,
  workers = 2,
  progress,
  keepLogs = false,
  allowHost,
  fakeTimeLib,
}) {
  const dir = mkdtempSync(join(tmpdir(), "hotbeat-chaos-"));
  if (!keepLogs) teardown.add(() => rmSync(dir, { recursive: true, force: true }));
  const logDir = join(dir, "logs");
  mkdirSync(logDir);
  // A folder of its own: the postgres user must be able to enter it, and not the rest.
  const pgDir = mkdtempSync(join(tmpdir(), "hotbeat-chaos-pg-"));
  teardown.add(() => rmSync(pgDir, { recursive: true, force: true }));
  const pg = await startPrivatePostgres({ dir: pgDir, maxConnections: 200 });
  teardown.add(() => pg.isRunning() && pg.crashSync());
  const redis = await startPrivateRedis();
  teardown.add(() => redis.isRunning() && redis.crashSync());
  progress(`private PostgreSQL on ${pg.port}, private Redis on ${redis.port}, logs in ${logDir}`);

  const token = `chaos-api-${randomBytes(12).toString("hex")}`;
  const apiPort = await freePort();
  const baseEnv = {
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    HOTBEAT_API_TOKEN: token,
    HOTBEAT_HTTP_TASK_ALLOW: allowHost,
    HOTBEAT_HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
  };
  const processes = [];
  let counter = 0;
  const enqueueMatcher = await createEnqueueMatcher();

  /** A PostgreSQL and a Redis proxy for one process, and the URLs that go through them. */
  async function startProxies(name) {
    const pgProxy = await startTcpProxy({
      name: `${name} → PostgreSQL`,
      upstreamPort: pg.port,
      createInspector: createMarkMatcher(),
    });
    const redisProxy = await startTcpProxy({
      name: `${name} → Redis`,
      upstreamPort: redis.port,
      createInspector: enqueueMatcher,
    });
    teardown.add(() => {
      pgProxy.close();
      redisProxy.close();
    });
    const via = (url, port) => Object.assign(new URL(url), { port: String(port) }).toString();
    return {
      pg: pgProxy,
      redis: redisProxy,
      env: { DATABASE_URL: via(pg.url, pgProxy.port), REDIS_URL: via(redis.url, redisProxy.port) },
    };
  }

  function createRole(role, envOverrides = {}, proxies = undefined) {
    const index = processes.filter((p) => p.role === role).length;
    const proc = {
      role,
      name: `${role}-${index + 1}`,
      child: undefined,
      restarts: 0,
      proxies,
      async start() {
        counter += 1;
        const port = role === "api" ? String(envOverrides.HOTBEAT_PORT ?? apiPort) : "0";
        proc.child = spawnRole({
          entry: join(repoRoot, `packages/${role}/dist/main.js`),
          env: withoutNulls({ ...baseEnv, ...proxies?.env, HOTBEAT_PORT: port, ...envOverrides }),
          logPath: join(logDir, `${proc.name}.log`),
          cwd: repoRoot,
        });
        await waitForLine(proc.child, READY[role], 60_000);
      },
      isAlive: () => proc.child && proc.child.exitCode === null && proc.child.signalCode === null,
      signal: (name) => proc.child?.kill(name),
      async kill() {
        proc.child?.kill("SIGKILL");
        if (proc.child) await waitForExit(proc.child);
      },
      async restart() {
        proc.restarts += 1;
        await proc.start();
      },
    };
    processes.push(proc);
    teardown.add(() => {
      if (proc.isAlive()) {
        proc.child.kill("SIGCONT");
        proc.child.kill("SIGKILL");
      }
    });
    return proc;
  }

  const api = createRole("api", {}, await startProxies("api-1"));
  await api.start();
  const scheduling = [];
  for (let i = 1; i <= schedulers; i++) {
    const clock = fakeTimeLib ? createClockFile(join(dir, `clock-scheduler-${i}`), fakeTimeLib) : undefined;
    const proc = createRole("scheduler", clock?.env ?? {}, await startProxies(`scheduler-${i}`));
    proc.stepClock = clock?.step;
    scheduling.push(proc);
  }
  const working = Array.from({ length: workers }, () => createRole("worker"));
  await Promise.all([...scheduling, ...working].map((p) => p.start()));
  progress(`deployment up: 1 API, ${schedulers} schedulers, ${workers} workers`);

  return {
    dir,
    logDir,
    pg,
    redis,
    token,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    api,
    schedulers: scheduling,
    workers: working,
    processes,
    /** Another API process, without the token, for the fuzz (see the README on the rate limit). */
    async startExtraApi() {
      const port = await freePort();
      const extra = createRole("api", {
        HOTBEAT_PORT: String(port),
        HOTBEAT_API_TOKEN: null,
        HOTBEAT_RATE_LIMIT: "0",
      });
      extra.name = "api-fuzz";
      await extra.start();
      return { proc: extra, url: `http://127.0.0.1:${port}` };
    },
    /** The scheduler process whose pid a live scheduler status reports. */
    schedulerByPid: (pid) => scheduling.find((p) => p.child?.pid === pid),
    spawnCount: () => counter,
  };
}

/**
 * libfaketime's offset file for one process: "+0" at first. libfaketime re-reads it at most once
 * a second (FAKETIME_CACHE_DURATION; re-reading on every call would slow each Date.now()), and
 * the monotonic clock stays true (DONT_FAKE_MONOTONIC), as after an NTP step or a VM resume.
 */
function createClockFile(path, lib) {
  const step = (seconds) => {
    // Written aside and renamed: a reader never sees a half-written file.
    writeFileSync(`${path}.tmp`, `${seconds >= 0 ? "+" : ""}${seconds}\n`);
    renameSync(`${path}.tmp`, path);
  };
  step(0);
  return {
    step,
    env: {
      LD_PRELOAD: lib,
      FAKETIME_TIMESTAMP_FILE: path,
      FAKETIME_CACHE_DURATION: "1",
      DONT_FAKE_MONOTONIC: "1",
    },
  };
}

function withoutNulls(env) {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== null));
}
