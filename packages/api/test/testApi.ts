import { RUNS_QUEUE, type DbHandle, type Logger } from "@hotbeat/shared";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import {
  createTestDatabase,
  createTestRedis,
  testLogger,
  uniqueId,
  type TestDatabase,
} from "../../../test/helpers.js";
import { buildApp } from "../src/app.js";
import type { ApiDeps } from "../src/deps.js";

export interface TestApi {
  app: FastifyInstance;
  database: TestDatabase;
  redis: ReturnType<typeof createTestRedis>;
  queue: Queue;
  namespace: string;
}

/**
 * An app on a fresh database and a namespace of its own in the shared Redis, closed after the
 * file. Call from `beforeAll`.
 */
export async function createTestApi(
  overrides: Partial<Pick<ApiDeps, "rateLimit" | "bodyLimitBytes" | "now" | "databaseDeadlineMs">> & {
    apiToken?: string;
    pollIntervalMs?: number;
    /** The app's own handle on the fresh database, in place of the test's; closed after the file. */
    connectDatabase?: (database: TestDatabase) => DbHandle;
    /** A logger the test reads, in place of the silent one. */
    log?: Logger;
  } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const namespace = uniqueId("ns");
  const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  const appDatabase = overrides.connectDatabase?.(database);
  if (appDatabase) releaseAfterFile(() => appDatabase.close());
  const app = await buildApp({
    database: appDatabase ?? database,
    redis,
    queue,
    log: overrides.log ?? testLogger(),
    config: {
      apiToken: overrides.apiToken,
      redisNamespace: namespace,
      defaultTimezone: "UTC",
      ...(overrides.pollIntervalMs !== undefined ? { pollIntervalMs: overrides.pollIntervalMs } : {}),
    },
    rateLimit: overrides.rateLimit ?? { max: 10_000, timeWindowMs: 60_000 },
    ...(overrides.bodyLimitBytes ? { bodyLimitBytes: overrides.bodyLimitBytes } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.databaseDeadlineMs ? { databaseDeadlineMs: overrides.databaseDeadlineMs } : {}),
  });
  await app.ready();
  releaseAfterFile(async () => {
    await app.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
  return { app, database, redis, queue, namespace };
}

/** A JSON body of `inject`'s answer; the assertions that follow check its shape. */

export function bodyOf<T = Record<string, any>>(response: { body: string }): T {
  return JSON.parse(response.body) as T;
}
