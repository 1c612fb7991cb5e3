import { createDb, migrateDatabase, RUNS_QUEUE, type DbHandle } from "@hotbeat/shared";
import { Queue } from "bullmq";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis, testLogger, uniqueId } from "../../../test/helpers.js";
import { startPrivatePostgres, type PrivateServer } from "../../../test/privateServices.js";
import { buildApp } from "../src/app.js";
import { bodyOf } from "./testApi.js";

let pg: PrivateServer;
let db: DbHandle;
let app: FastifyInstance;
beforeAll(async () => {
  pg = await startPrivatePostgres();
  await migrateDatabase(pg.url);
  // A short reconnect backoff: each request below still meets a refused connection, and the last
  // test sees the server back at the next attempt rather than after up to 20 s of backoff.
  db = createDb(pg.url, { max: 2, maxReconnectDelayMs: 200 });
  const namespace = uniqueId("ns");
  const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  app = await buildApp({
    database: db,
    redis: createTestRedis(),
    queue,
    log: testLogger(),
    config: { redisNamespace: namespace, defaultTimezone: "UTC" },
    rateLimit: { max: 10_000, timeWindowMs: 60_000 },
  });
  await app.ready();
  const seeded = await app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: { name: "nightly", task: "log", cron: "0 2 * * *" },
  });
  expect(seeded.statusCode, seeded.body).toBe(201);
  await pg.kill();
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.close();
});

const schedule = { name: "created_while_down", task: "log", cron: "0 3 * * *" };
const routes: [label: string, request: InjectOptions][] = [
  ["the list", { method: "GET", url: "/api/v1/schedules" }],
  ["one schedule", { method: "GET", url: "/api/v1/schedules/nightly" }],
  ["a create", { method: "POST", url: "/api/v1/schedules", payload: schedule }],
  ["a PATCH", { method: "PATCH", url: "/api/v1/schedules/nightly", payload: { enabled: false } }],
  ["a DELETE", { method: "DELETE", url: "/api/v1/schedules/nightly" }],
  ["the history", { method: "GET", url: "/api/v1/schedules/nightly/history" }],
  ["a saved preview", { method: "GET", url: "/api/v1/schedules/nightly/preview" }],
  ["a trigger", { method: "POST", url: "/api/v1/schedules/nightly/trigger" }],
  ["the runs", { method: "GET", url: "/api/v1/runs" }],
  ["the export", { method: "GET", url: "/api/v1/export" }],
  ["an import", { method: "POST", url: "/api/v1/import", payload: { schedules: [schedule] } }],
  ["the older API", { method: "POST", url: "/update_schedule/nightly", payload: { hour: 4 } }],
  ["the calendars", { method: "GET", url: "/api/v1/calendars" }],
  ["a calendar create", { method: "POST", url: "/api/v1/calendars", payload: { name: "holidays" } }],
  ["a calendar PATCH", { method: "PATCH", url: "/api/v1/calendars/holidays", payload: { dates: [] } }],
  ["a calendar DELETE", { method: "DELETE", url: "/api/v1/calendars/holidays" }],
];

describe("with PostgreSQL down", () => {
  it.each(routes)("answers %s with 503 and Retry-After", async (_label, request) => {
    const response = await app.inject(request);
    expect(response.statusCode, response.body).toBe(503);
    expect(response.headers["retry-after"]).toBe("5");
    expect(bodyOf(response).error).toMatchObject({ code: "unavailable" });
  });

  it("answers /ready with 503 naming PostgreSQL", async () => {
    const response = await app.inject({ method: "GET", url: "/ready" });
    expect(response.statusCode).toBe(503);
    expect(bodyOf(response)).toMatchObject({ postgres: "down", redis: "up" });
  });

  it("serves again once PostgreSQL is back", async () => {
    await pg.start();
    const response = await app.inject({ method: "GET", url: "/api/v1/schedules/nightly" });
    expect(response.statusCode, response.body).toBe(200);
  });
});
