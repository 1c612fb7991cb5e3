import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "../lib/stats.mjs";
import { insertSchedules, pad, progress, range } from "../lib/environment.mjs";
import { IDLE_CRON, NOOP_TASK, startBenchApi } from "../lib/stack.mjs";

const GENERATOR = fileURLToPath(new URL("../children/loadGenerator.mjs", import.meta.url));
const FLOOR = fileURLToPath(new URL("../children/writeFloor.mjs", import.meta.url));
/** The shapes of one update measured on PostgreSQL alone (bench/children/writeFloor.mjs). */
const FLOOR_SHAPES = ["fiveStatements", "readThenWrite", "oneStatement"];
const FLOOR_SECONDS = 3;
const FLOOR_REPS = 2;
const SCHEDULES = 1000;
const CONNECTIONS = 16;

function runChild(path, job) {
  return new Promise((resolve, reject) => {
    const child = fork(path, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", resolve);
    child.once("error", reject);
    child.once("exit", (code) => code !== 0 && reject(new Error(`${path} exited with ${code}`)));
    child.send(job);
  });
}

/**
 * Section 4: sustained PATCHes per second against the real API on 127.0.0.1 (hotbeat's own
 * startApi, rate limit lifted), load generated from another process; every PATCH is a change
 * through the write path: row, version, history row, publish.
 */
export async function benchApiThroughput(env, log, options) {
  const names = range(SCHEDULES).map((i) => `load-${pad(i)}`);
  await insertSchedules(
    env.sql,
    names.map((name) => ({ name, task: NOOP_TASK, cron: IDLE_CRON })),
  );
  const api = await startBenchApi(env, log);
  const [{ count: historyBefore }] =
    await env.sql`SELECT count(*)::int AS count FROM schedule_history WHERE schedule_name LIKE 'load-%'`;
  const reps = [];
  try {
    progress("4 API throughput: warm-up 2 s");
    await runChild(GENERATOR, {
      url: api.url,
      names,
      durationSeconds: 2,
      connections: CONNECTIONS,
      tag: "warm",
    });
    for (let rep = 1; rep <= options.throughputReps; rep += 1) {
      progress(
        `4 API throughput: repetition ${rep}/${options.throughputReps}, ${options.throughputSeconds} s, ${CONNECTIONS} connections`,
      );
      reps.push(
        await runChild(GENERATOR, {
          url: api.url,
          names,
          durationSeconds: options.throughputSeconds,
          connections: CONNECTIONS,
          tag: `rep${rep}`,
        }),
      );
    }
  } finally {
    await api.close();
  }
  const [{ count: historyAfter }] =
    await env.sql`SELECT count(*)::int AS count FROM schedule_history WHERE schedule_name LIKE 'load-%'`;
  const floors = await measureFloors(env, names);
  const requestsPerSecond = median(reps.map((r) => r.requestsPerSecond));
  return {
    connections: CONNECTIONS,
    secondsPerRep: options.throughputSeconds,
    reps: reps.length,
    requestsPerSecond,
    floors,
    fractionOfFloor: requestsPerSecond / floors.readThenWrite,
    latencyP50Ms: median(reps.map((r) => r.latency.p50)),
    latencyP99Ms: median(reps.map((r) => r.latency.p99)),
    latencyMaxMs: median(reps.map((r) => r.latency.max)),
    non2xx: reps.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
    historyRowsWritten: historyAfter - historyBefore,
    perRep: reps,
  };
}

/**
 * The same updates with no API in front: each shape of the write (see writeFloor.mjs) alone on
 * PostgreSQL, with the same connections, the shapes interleaved so that a change of the
 * machine's load falls on all of them alike. The median writes per second of each.
 */
async function measureFloors(env, names) {
  const perShape = Object.fromEntries(FLOOR_SHAPES.map((shape) => [shape, []]));
  for (let rep = 1; rep <= FLOOR_REPS; rep += 1) {
    for (const shape of FLOOR_SHAPES) {
      progress(
        `4 API throughput: PostgreSQL alone, ${shape}, repetition ${rep}/${FLOOR_REPS}, ${FLOOR_SECONDS} s`,
      );
      const result = await runChild(FLOOR, {
        databaseUrl: env.databaseUrl,
        names,
        durationSeconds: FLOOR_SECONDS,
        connections: CONNECTIONS,
        shape,
        tag: `floor${rep}`,
      });
      perShape[shape].push(result.writesPerSecond);
    }
  }
  return Object.fromEntries(FLOOR_SHAPES.map((shape) => [shape, median(perShape[shape])]));
}
