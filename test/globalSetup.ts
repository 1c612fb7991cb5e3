import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../packages/shared/src/db/migrate.js";
import {
  createRunDirectory,
  createRunId,
  dropDatabasesByPrefix,
  sweepDeadRuns,
  sweepRunDirectory,
  templateDatabaseName,
  testDatabasePrefix,
} from "./runScope.js";
import { hasDockerEngine, isPortOpen } from "./services.js";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    templateDatabase: string;
    /** Part of the name of everything the run creates (test/runScope.ts). */
    testRunId: string;
    /** Where the run's private servers live. */
    testRunDirectory: string;
  }
}

/**
 * Finds PostgreSQL and Redis: DATABASE_URL / REDIS_URL when set, else the local defaults when they
 * answer, else containers when a Docker engine answers, else one clear line. Then migrates a
 * template database once; each test file clones its own database from it (test/helpers.ts).
 * At the end it checks that the files released everything they made, and fails the run, after
 * removing them, when databases or private servers are left.
 */
export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<unknown>> = [];
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;

  if (!databaseUrl || !redisUrl) {
    const [pgUp, redisUp] = await Promise.all([isPortOpen("127.0.0.1", 5432), isPortOpen("127.0.0.1", 6379)]);
    if (!databaseUrl && pgUp) databaseUrl = DEFAULT_DATABASE_URL;
    if (!redisUrl && redisUp) redisUrl = DEFAULT_REDIS_URL;
  }
  if ((!databaseUrl || !redisUrl) && hasDockerEngine()) {
    const containers = await startContainers(!databaseUrl, !redisUrl);
    databaseUrl ??= containers.databaseUrl;
    redisUrl ??= containers.redisUrl;
    stops.push(...containers.stops);
  }
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      `tests need PostgreSQL and Redis: set DATABASE_URL and REDIS_URL, run them on 127.0.0.1:5432 and :6379 (bash .ci/run starts them), or start a Docker engine`,
    );
  }

  const adminUrl = withDatabase(databaseUrl, "postgres");
  const stale = await sweepDeadRuns(adminUrl);
  if (stale.length > 0) {
    process.stderr.write(`removed what earlier test runs left behind:\n  ${stale.join("\n  ")}\n`);
  }
  const runId = createRunId();
  const runDir = createRunDirectory(runId);
  const template = templateDatabaseName(runId);
  await migrateDatabase(withDatabase(databaseUrl, template));
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisUrl", redisUrl);
  project.provide("templateDatabase", template);
  project.provide("testRunId", runId);
  project.provide("testRunDirectory", runDir);

  return async () => {
    const left = [
      ...(await sweepRunDirectory(runDir)),
      ...(await dropDatabasesByPrefix(adminUrl, [testDatabasePrefix(runId)])).map(
        (name) => `the database ${name}`,
      ),
    ];
    await dropDatabasesByPrefix(adminUrl, [template]);
    for (const stop of stops) await stop();
    if (left.length > 0) {
      throw new Error(`the test files left behind (now removed):\n  ${left.join("\n  ")}`);
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function startContainers(needPostgres: boolean, needRedis: boolean) {
  // Loaded only where a Docker engine answers; this machine and CI use local services.
  const tc = (await import("testcontainers")) as typeof import("testcontainers");
  const stops: Array<() => Promise<unknown>> = [];
  let databaseUrl: string | undefined;
  let redisUrl: string | undefined;
  if (needPostgres) {
    const pg = await new tc.GenericContainer("postgres:15")
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
      .withExposedPorts(5432)
      .withWaitStrategy(tc.Wait.forLogMessage(/ready to accept connections/, 2))
      .start();
    stops.push(() => pg.stop());
    databaseUrl = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
  }
  if (needRedis) {
    const redis = await new tc.GenericContainer("redis:7").withExposedPorts(6379).start();
    stops.push(() => redis.stop());
    redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  }
  return { databaseUrl, redisUrl, stops };
}
