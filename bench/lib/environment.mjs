import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { pino } from "pino";
import postgres from "postgres";
import { loadConfig, migrateDatabase } from "@hotbeat/shared";

const startedAtMs = Date.now();

/** Progress goes to stderr so stdout carries only the table. */
export function progress(message) {
  const elapsed = ((Date.now() - startedAtMs) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${elapsed}s] ${message}\n`);
}

/**
 * hotbeat's own loggers at `info` (the production level), so the cost of logging each fire and
 * change is in the figures; lines go to /dev/null, warnings and errors to a file for inspection.
 */
export function createBenchLogger(logPath) {
  return pino(
    { level: "info" },
    pino.multistream([
      { level: "info", stream: pino.destination({ dest: "/dev/null", sync: false }) },
      { level: "warn", stream: pino.destination({ dest: logPath, sync: false, mkdir: true }) },
    ]),
  );
}

/** The database and Redis of this machine (hotbeat's own defaults), never anything remote. */
function loopbackBase() {
  const base = loadConfig(process.env);
  for (const [name, value] of [
    ["DATABASE_URL", base.databaseUrl],
    ["REDIS_URL", base.redisUrl],
  ]) {
    const host = new URL(value).hostname;
    if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
      throw new Error(`${name} points at ${host}; the benchmark only runs against this machine (127.0.0.1)`);
    }
  }
  return base;
}

/**
 * A fresh database `hotbeat_bench_<random>` (migrated with hotbeat's own migrations) and a unique
 * Redis namespace, both removed by `dispose()`.
 */
export async function createBenchEnvironment() {
  const base = loopbackBase();
  const id = randomBytes(4).toString("hex");
  const databaseName = `hotbeat_bench_${id}`;
  const databaseUrl = new URL(base.databaseUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const namespace = `hotbeat-bench-${id}`;
  const logPath = join(tmpdir(), `hotbeat-bench-${id}.log`);
  const env = {
    id,
    databaseName,
    databaseUrl: databaseUrl.toString(),
    redisUrl: base.redisUrl,
    namespace,
    logPath,
    /** hotbeat's Config for this run, as main.ts would build it from the environment. */
    config(overrides = {}) {
      return loadConfig({
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        HOTBEAT_REDIS_NAMESPACE: overrides.namespace ?? namespace,
        HOTBEAT_POLL_INTERVAL_MS: String(overrides.pollIntervalMs ?? 60_000),
        HOTBEAT_HOST: "127.0.0.1",
        HOTBEAT_PORT: "0",
        LOG_LEVEL: "info",
        ...(overrides.workerConcurrency
          ? { HOTBEAT_WORKER_CONCURRENCY: String(overrides.workerConcurrency) }
          : {}),
      });
    },
  };
  await migrateDatabase(env.databaseUrl);
  if (process.env.BENCH_SYNCHRONOUS_COMMIT === "off") {
    // Diagnostic only (never the default): shows how much of a figure is WAL flushes per commit.
    const admin = postgres(env.databaseUrl, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`ALTER DATABASE "${databaseName}" SET synchronous_commit = off`);
    await admin.end({ timeout: 5 });
  }
  const sql = postgres(env.databaseUrl, { max: 4, onnotice: () => undefined });
  env.sql = sql;
  env.dispose = async () => {
    await sql.end({ timeout: 5 }).catch(() => undefined);
    await dropDatabase(base.databaseUrl, databaseName);
    await deleteRedisKeys(env.redisUrl, [`${namespace}:*`, `${namespace}-bq:*`]);
  };
  return env;
}

async function dropDatabase(anyUrl, name) {
  const admin = new URL(anyUrl);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function deleteRedisKeys(redisUrl, patterns) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    for (const match of patterns) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== "0");
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Inserts schedules straight into `schedules` with multi-row INSERTs (setup only; the
 * versioning and history triggers still run for every row).
 */
export async function insertSchedules(sql, rows, chunkSize = 5000) {
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = rows.slice(i, i + chunkSize).map((r) => ({ timezone: "UTC", ...r }));
    await sql`INSERT INTO schedules ${sql(chunk, "name", "task", "cron", "timezone")}`;
  }
}

export const pad = (i, width = 6) => String(i).padStart(width, "0");
export const range = (n) => Array.from({ length: n }, (_, i) => i);
