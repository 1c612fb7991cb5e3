import { loadConfig, RUNS_QUEUE } from "@hotbeat/shared";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  createTestRedis,
  testLogger,
  uniqueId,
  type TestDatabase,
} from "../../../test/helpers.js";
import { buildApp } from "../src/app.js";

let database: TestDatabase;
const apps: FastifyInstance[] = [];
const queues: Queue[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const queue of queues) await queue.close();
});

/** An app whose write limit comes from the environment, as `npm start` reads it. */
async function appWithEnv(env: Record<string, string>): Promise<FastifyInstance> {
  const namespace = uniqueId("ns");
  const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  const { rateLimitPerMinute } = loadConfig(env);
  const app = await buildApp({
    database,
    redis: createTestRedis(),
    queue,
    log: testLogger(),
    config: { redisNamespace: namespace, defaultTimezone: "UTC", rateLimitPerMinute },
  });
  apps.push(app);
  queues.push(queue);
  return app;
}

const schedule = (name: string) => ({ name, task: "log", cron: "0 9 * * *" });
const create = (app: FastifyInstance, name: string, token?: string) =>
  app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: schedule(name),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe("the write rate limit", () => {
  it("accepts HOTBEAT_RATE_LIMIT writes a minute and answers the next one 429", async () => {
    const app = await appWithEnv({ HOTBEAT_RATE_LIMIT: "3" });
    const statuses: number[] = [];
    for (const name of ["limit_a", "limit_b", "limit_c", "limit_d"])
      statuses.push((await create(app, name)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it("is 1200 writes a minute by default", async () => {
    const app = await appWithEnv({});
    expect((await create(app, "default_limit")).headers["x-ratelimit-limit"]).toBe("1200");
  });

  it("is lifted by HOTBEAT_RATE_LIMIT=0, past the default's count", async () => {
    const app = await appWithEnv({ HOTBEAT_RATE_LIMIT: "0" });
    const statuses = new Set<number>();
    // Refused by validation, so nothing is written, but each one is a write to the limiter.
    for (let i = 0; i < 1201; i++) {
      const response = await app.inject({ method: "POST", url: "/api/v1/schedules", payload: {} });
      statuses.add(response.statusCode);
      expect(response.headers["x-ratelimit-limit"]).toBeUndefined();
    }
    expect([...statuses]).toEqual([400]);
  });

  it("counts each bearer token apart, and clients without one by address", async () => {
    const app = await appWithEnv({ HOTBEAT_RATE_LIMIT: "2" });
    expect((await create(app, "token_a1", "first-token")).statusCode).toBe(201);
    expect((await create(app, "token_a2", "first-token")).statusCode).toBe(201);
    expect((await create(app, "token_a3", "first-token")).statusCode).toBe(429);
    expect((await create(app, "token_b1", "second-token")).statusCode).toBe(201);
    expect((await create(app, "no_token1")).statusCode).toBe(201);
  });

  it("counts an import of many schedules as one write", async () => {
    const app = await appWithEnv({ HOTBEAT_RATE_LIMIT: "2" });
    const names = Array.from({ length: 5 }, (_, i) => `imported_${i}`);
    const imported = await app.inject({
      method: "POST",
      url: "/api/v1/import",
      payload: { schedules: names.map(schedule) },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect((await create(app, "after_import")).statusCode).toBe(201);
    expect((await create(app, "over_limit")).statusCode).toBe(429);
  });
});
