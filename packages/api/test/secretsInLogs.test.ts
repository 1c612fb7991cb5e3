import { createLogger, RUNS_QUEUE } from "@hotbeat/shared";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestRedis, uniqueId, type TestDatabase } from "../../../test/helpers.js";
import { buildApp } from "../src/app.js";

const SECRET = "s3cr3t-planted-value";
const API_TOKEN = `token-${SECRET}`;
let lines = "";
let app: FastifyInstance;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const namespace = uniqueId("ns");
  const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines += chunk.toString("utf8");
      done();
    },
  });
  app = await buildApp({
    database,
    redis: createTestRedis(),
    queue,
    log: createLogger({ level: "debug", destination }),
    config: { apiToken: API_TOKEN, redisNamespace: namespace, defaultTimezone: "UTC" },
    rateLimit: { max: 10_000, timeWindowMs: 60_000 },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const auth = { authorization: `Bearer ${API_TOKEN}` };
const httpSchedule = (name: string) => ({
  name,
  task: "http",
  cron: "0 9 * * *",
  payload: {
    url: `https://user:${SECRET}@example.com/hook`,
    headers: { Authorization: `Bearer ${SECRET}`, "X-Api-Key": SECRET, Cookie: `sid=${SECRET}` },
  },
});

describe("secrets in the logs", () => {
  it("never logs a payload's credentials when a query fails", async () => {
    // Without its history table every write fails inside PostgreSQL, with every bound value
    // (the payload and its headers) in the driver's error message.
    await database.sql`ALTER TABLE schedule_history RENAME TO schedule_history_away`;
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/schedules",
      headers: auth,
      payload: httpSchedule("hook_when_broken"),
    });
    await database.sql`ALTER TABLE schedule_history_away RENAME TO schedule_history`;
    expect(response.statusCode, response.body).toBe(500);
    expect(lines).toMatch(/request failed/);
    expect(lines).not.toContain(SECRET);
  });

  it("never logs a bad or a good token", async () => {
    const bad = await app.inject({
      method: "GET",
      url: "/api/v1/schedules",
      headers: { authorization: `Bearer wrong-${SECRET}` },
    });
    expect(bad.statusCode).toBe(401);
    const good = await app.inject({ method: "GET", url: "/api/v1/schedules", headers: auth });
    expect(good.statusCode).toBe(200);
    expect(lines).not.toContain(SECRET);
  });

  it("never logs a secret handed to the logger in an object or an error", () => {
    const log = createLogger({
      level: "info",
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines += chunk.toString("utf8");
          done();
        },
      }),
    });
    log.error(
      {
        err: new Error(`Failed query: insert\nparams: ${SECRET}`, { cause: new Error(`Bearer ${SECRET}`) }),
        url: `postgres://hotbeat:${SECRET}@db:5432/hotbeat`,
        headers: { "x-auth-token": SECRET },
      },
      "failed",
    );
    expect(lines).toMatch(/"msg":"failed"/);
    expect(lines).not.toContain(SECRET);
  });
});
