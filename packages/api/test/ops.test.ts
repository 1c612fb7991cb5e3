import { RUNS_QUEUE } from "@hotbeat/shared";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestRedis, testLogger } from "../../../test/helpers.js";
import { buildApp } from "../src/app.js";
import { assertSafeBinding, isLoopbackHost } from "../src/startApi.js";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

const TOKEN = "s3cret-token-for-tests-0123456789";
let t: TestApi;
beforeAll(async () => {
  t = await createTestApi({ apiToken: TOKEN, rateLimit: { max: 3, timeWindowMs: 60_000 } });
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("auth with a token", () => {
  it.each([
    ["GET", "/api/v1/schedules"],
    ["POST", "/api/v1/preview"],
    ["GET", "/api/v1/runs"],
    ["POST", "/update_schedule/anything"],
  ] as const)("refuses %s %s without a token with 401", async (method, url) => {
    const response = await t.app.inject({ method, url });
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(bodyOf(response).error).toMatchObject({
      code: "unauthorized",
      details: [{ field: "authorization" }],
    });
  });

  it.each([
    ["GET", "/%61pi/v1/schedules"],
    ["GET", "/%61pi/v1/export"],
    ["GET", "/api/v1/%73chedules"],
    ["POST", "/%75pdate_schedule/anything"],
    ["POST", "/%61%70%69/v1/import"],
  ] as const)(
    "refuses the percent-encoded %s %s, which routes to a protected path, with 401",
    async (method, url) => {
      const response = await t.app.inject({ method, url, payload: method === "POST" ? {} : undefined });
      expect(response.statusCode, response.body).toBe(401);
      expect(bodyOf(response).error.code).toBe("unauthorized");
    },
  );

  it("refuses a wrong token, and one of the right length, with 401", async () => {
    expect((await t.app.inject({ url: "/api/v1/schedules", headers: bearer("wrong") })).statusCode).toBe(401);
    const sameLength = TOKEN.slice(0, -1) + "X";
    expect((await t.app.inject({ url: "/api/v1/schedules", headers: bearer(sameLength) })).statusCode).toBe(
      401,
    );
    expect(
      (await t.app.inject({ url: "/api/v1/schedules", headers: { authorization: TOKEN } })).statusCode,
    ).toBe(401);
  });

  it("serves with the right token and records the actor as token", async () => {
    expect((await t.app.inject({ url: "/api/v1/schedules", headers: bearer(TOKEN) })).statusCode).toBe(200);
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/schedules",
      headers: bearer(TOKEN),
      payload: { name: "tokened", task: "log", cron: "0 1 * * *" },
    });
    expect(bodyOf(created).schedule.updatedBy).toBe("token");
  });

  it("leaves /health, /ready, /metrics, /docs and / open", async () => {
    for (const url of ["/health", "/ready", "/metrics", "/docs/json", "/"]) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(200);
    }
  });
});

describe("rate limiting", () => {
  it("answers 429 in the error shape once a token has spent its writes, and leaves reads alone", async () => {
    let hour = 0;
    const write = () =>
      t.app.inject({
        method: "PATCH",
        url: "/api/v1/schedules/tokened",
        headers: bearer(TOKEN),
        payload: { cron: `0 ${++hour} * * *` },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await write()).statusCode);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    const limited = await write();
    expect(bodyOf(limited).error.code).toBe("rate_limited");
    expect(limited.headers["retry-after"]).toBeDefined();
    expect((await t.app.inject({ url: "/api/v1/schedules", headers: bearer(TOKEN) })).statusCode).toBe(200);
    const preview = await t.app.inject({
      method: "POST",
      url: "/api/v1/preview",
      headers: bearer(TOKEN),
      payload: { cron: "0 1 * * *", count: 1 },
    });
    expect(preview.statusCode).toBe(200);
  });
});

describe("probes, metrics and docs", () => {
  it("answers /health and /ready with 200 when PostgreSQL and Redis answer", async () => {
    expect(bodyOf(await t.app.inject({ url: "/health" }))).toEqual({ status: "ok" });
    expect(bodyOf(await t.app.inject({ url: "/ready" }))).toEqual({
      status: "ready",
      postgres: "up",
      redis: "up",
    });
  });

  it("answers /ready with 503 naming Redis when Redis does not answer", async () => {
    const database = await createTestDatabase();
    const deadRedis = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    deadRedis.on("error", () => undefined);
    const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: "unused" });
    const app = await buildApp({
      database,
      redis: deadRedis,
      queue,
      log: testLogger(),
      config: { redisNamespace: "unused", defaultTimezone: "UTC" },
      readyTimeoutMs: 300,
    });
    try {
      const response = await app.inject({ url: "/ready" });
      expect(response.statusCode).toBe(503);
      expect(bodyOf(response)).toMatchObject({
        status: "not_ready",
        postgres: "up",
        redis: "down",
        message: expect.stringMatching(/^Redis/),
      });
    } finally {
      await app.close();
      await queue.close();
      deadRedis.disconnect();
    }
  });

  it("counts requests by route pattern and status, and schedule writes, in Prometheus text", async () => {
    const text = (await t.app.inject({ url: "/metrics" })).body;
    expect(text).toMatch(
      /hotbeat_http_requests_total\{method="GET",route="\/api\/v1\/schedules",status="401"\} \d+/,
    );
    expect(text).toMatch(
      /hotbeat_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/health"\} \d+/,
    );
    expect(text).toMatch(/hotbeat_schedule_writes_total\{op="create"\} 1/);
  });

  it("publishes an OpenAPI document generated from the route schemas, with the error shape", async () => {
    const doc = bodyOf(await t.app.inject({ url: "/docs/json" }));
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/api/v1/schedules",
      "/api/v1/schedules/{name}",
      "/api/v1/schedules/{name}/preview",
      "/api/v1/preview",
      "/api/v1/import",
      "/api/v1/export",
      "/api/v1/runs",
      "/api/v1/scheduler",
      "/api/v1/schedules/{name}/trigger",
      "/update_schedule/{name}",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Error", "Schedule", "ScheduleWrite"]),
    );
    expect(
      doc.paths["/api/v1/schedules"].post.requestBody.content["application/json"].schema.additionalProperties,
    ).toBe(false);
  });

  it("sends security headers with a CSP that allows no inline script", async () => {
    const response = await t.app.inject({ url: "/health" });
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

describe("binding without a token", () => {
  it("treats only loopback addresses as loopback", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"].every(isLoopbackHost)).toBe(true);
    expect(["0.0.0.0", "::", "192.168.1.10", "example.com"].some(isLoopbackHost)).toBe(false);
  });

  it("refuses to bind elsewhere without a token, in one line naming HOTBEAT_API_TOKEN", () => {
    expect(() => assertSafeBinding({ host: "0.0.0.0", apiToken: undefined })).toThrow(
      /^HOTBEAT_API_TOKEN: .*0\.0\.0\.0/,
    );
    expect(() => assertSafeBinding({ host: "0.0.0.0", apiToken: TOKEN })).not.toThrow();
    expect(() => assertSafeBinding({ host: "127.0.0.1", apiToken: undefined })).not.toThrow();
  });
});
