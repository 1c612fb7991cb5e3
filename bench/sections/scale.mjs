import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { combineRepetitions, median } from "../lib/stats.mjs";
import { sleep } from "../lib/clock.mjs";
import { insertSchedules, pad, progress, range } from "../lib/environment.mjs";
import { NOOP_TASK } from "../lib/stack.mjs";

const CHILD = fileURLToPath(new URL("../children/schedulerChild.mjs", import.meta.url));
const CHANGES = 100;
const MILLION = 1_000_000;
/** One fresh process per repetition: at a million schedules one load takes a good part of a minute. */
const MILLION_REPS = 1;
/** The 1M process's poll interval: its first poll comes after the load and the changes. */
const MILLION_POLL_MS = 20_000;

/**
 * A fixed-hour yearly cron per schedule, spread over minutes, hours and days of a month six
 * months away, so nothing fires while the benchmark runs but the timeline is not one tie.
 */
function idleCron(i, minuteShift = 0) {
  const month = ((new Date().getUTCMonth() + 6) % 12) + 1;
  return `${(i + minuteShift) % 60} ${Math.floor(i / 60) % 24} ${1 + (Math.floor(i / 1440) % 28)} ${month} *`;
}
const scheduleName = (i) => `scale-${pad(i)}`;

/** Forks a scheduler process and returns a request/answer handle over IPC. */
export async function forkScheduler(env, namespace = env.namespace, extraExecArgv = []) {
  const child = fork(CHILD, [], {
    execArgv: ["--expose-gc", ...extraExecArgv],
    env: {
      ...process.env,
      BENCH_DATABASE_URL: env.databaseUrl,
      BENCH_REDIS_URL: env.redisUrl,
      BENCH_NAMESPACE: namespace,
      BENCH_LOG_PATH: env.logPath,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const answers = [];
  let wake = () => undefined;
  child.on("message", (message) => {
    answers.push(message);
    wake();
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const next = async (type) => {
    for (;;) {
      const index = answers.findIndex((m) => m.type === type || m.type === "error");
      if (index >= 0) {
        const [message] = answers.splice(index, 1);
        if (message.type === "error") throw new Error(`scheduler child: ${message.message}`);
        return message.result;
      }
      const woken = new Promise((resolve) => (wake = resolve));
      const died = exited.then(() => {
        throw new Error(`scheduler child exited before answering ${type}`);
      });
      await Promise.race([woken, died]);
    }
  };
  await next("ready");
  return {
    async request(cmd, payload = {}) {
      child.send({ cmd, ...payload });
      return next(
        { load: "loaded", changes: "changes", poll: "polled", fires: "fires", stop: "stopped" }[cmd],
      );
    },
    async stop() {
      if (child.exitCode === null) {
        child.send({ cmd: "stop" });
        await Promise.race([exited, sleep(10_000)]);
      }
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** Page size of the scheduler's full load (scheduleSource.ts), for the floor below. */
const LOAD_PAGE_SIZE = 1000;

/**
 * The floor under a load: the same rows paged through by the same keyset query in one
 * read-only snapshot, by the driver alone, into nothing. What the scheduler adds is the mapping,
 * checking, packing and timeline building.
 */
async function readFloorMs(sql) {
  const t0 = performance.now();
  await sql.begin("isolation level repeatable read read only", async (tx) => {
    for (let after = ""; ;) {
      const page = await tx`
        SELECT * FROM schedules
        WHERE (enabled OR paused_until IS NOT NULL) AND name > ${after}
        ORDER BY name LIMIT ${LOAD_PAGE_SIZE}`;
      if (page.length < LOAD_PAGE_SIZE) break;
      after = page.at(-1).name;
    }
  });
  return performance.now() - t0;
}

let changeRound = 0;

/** Load time, RSS, heap per schedule and one change, each repetition in a fresh process. */
async function measureSize(env, size, reps) {
  const loads = [];
  for (let rep = 1; rep <= reps; rep += 1) {
    progress(`3 scale: ${size} schedules, repetition ${rep}/${reps}`);
    const child = await forkScheduler(env);
    try {
      // At a million, a poll comes soon after the load, to measure its stall too.
      const pollIntervalMs = size >= MILLION ? MILLION_POLL_MS : 60_000;
      const loaded = await child.request("load", { pollIntervalMs });
      const changesOf = () => {
        changeRound += 1;
        return range(CHANGES).map((k) => {
          const i = Math.floor((k * size) / CHANGES);
          return { name: scheduleName(i), patch: { cron: idleCron(i, changeRound) } };
        });
      };
      const readBack = await child.request("changes", { changes: changesOf(), carried: false });
      const carried = await child.request("changes", { changes: changesOf(), carried: true });
      const polled = size >= MILLION ? await child.request("poll", { timeoutMs: MILLION_POLL_MS * 2 }) : {};
      loads.push({ ...loaded, ...readBack, ...carried, ...polled });
    } finally {
      await child.stop();
    }
  }
  const pick = (key) => median(loads.map((l) => l[key]));
  return {
    schedules: size,
    readFloorMs: await readFloorMs(env.sql),
    reps,
    loadMs: pick("loadMs"),
    loadCpuMs: pick("loadCpuMs"),
    readyMs: pick("readyMs"),
    maxStallMs: pick("maxStallMs"),
    longestGcPauseMs: pick("longestGcPauseMs"),
    rssMB: pick("rssMB"),
    rssDeltaMB: pick("rssDeltaMB"),
    heapPerScheduleBytes: pick("heapPerScheduleBytes"),
    heapDeltaBytes: pick("heapDeltaBytes"),
    answerToApplied: combineRepetitions(loads.map((l) => l.answerToApplied)),
    loadedToApplied: combineRepetitions(loads.map((l) => l.loadedToApplied)),
    pollStallMs: pick("pollStallMs"),
    pollGcPauseMs: pick("pollGcPauseMs"),
    perRep: loads,
  };
}

/**
 * Adds schedules `from`..`until - 1` (names and crons as {@link scheduleName} and {@link idleCron})
 * set-based, in one transaction: building a million rows in JavaScript and sending them would
 * take longer than everything measured here, and so would the per-row triggers (a version claim
 * and a history row with the row as JSON, each a statement of its own). They are switched off
 * for this transaction only, and what they write is written by three INSERT … SELECT instead:
 * the rows at version 1, their version counters, one `insert` history row each.
 */
async function insertSchedulesBySql(sql, from, until) {
  const month = ((new Date().getUTCMonth() + 6) % 12) + 1;
  const first = scheduleName(from);
  const last = scheduleName(until - 1);
  await sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`
      INSERT INTO schedules (name, task, cron, timezone, version, created_at, updated_at, updated_by)
      SELECT 'scale-' || lpad(i::text, 6, '0'), ${NOOP_TASK},
        (i % 60) || ' ' || ((i / 60) % 24) || ' ' || (1 + (i / 1440) % 28) || ' ' || ${month}::int || ' *',
        'UTC', 1, now(), now(), 'bench'
      FROM generate_series(${from}::int, ${until - 1}::int) AS i`;
    await tx`
      INSERT INTO schedule_versions (schedule_name, last_version)
      SELECT name, 1 FROM schedules WHERE name BETWEEN ${first} AND ${last}`;
    await tx`
      INSERT INTO schedule_history (schedule_name, op, version, actor, source, old_value, new_value)
      SELECT name, 'insert', 1, 'bench', 'sql', NULL, to_jsonb(s)
      FROM schedules s WHERE name BETWEEN ${first} AND ${last}`;
  });
  await sql`VACUUM ANALYZE schedules`;
}

/** Section 3: 10k, 100k and 1M schedules (10k due in the same second is section 6, burst.mjs). */
export async function benchScale(env, log, options) {
  progress("3 scale: inserting 10k schedules");
  await insertSchedules(
    env.sql,
    range(10_000).map((i) => ({ name: scheduleName(i), task: NOOP_TASK, cron: idleCron(i) })),
  );
  const tenK = await measureSize(env, 10_000, options.scaleReps);
  progress("3 scale: inserting 90k more schedules");
  const t0 = performance.now();
  await insertSchedules(
    env.sql,
    range(90_000).map((k) => ({
      name: scheduleName(10_000 + k),
      task: NOOP_TASK,
      cron: idleCron(10_000 + k),
    })),
  );
  progress(`3 scale: inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const hundredK = await measureSize(env, 100_000, options.scaleReps);
  progress("3 scale: inserting 900k more schedules by SQL");
  const t1 = performance.now();
  await insertSchedulesBySql(env.sql, 100_000, MILLION);
  const millionSeedMs = performance.now() - t1;
  progress(`3 scale: inserted in ${(millionSeedMs / 1000).toFixed(1)} s`);
  const million = { ...(await measureSize(env, MILLION, MILLION_REPS)), seedMs: millionSeedMs };
  return { tenK, hundredK, million };
}
