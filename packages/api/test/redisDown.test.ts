import { RUNS_QUEUE } from "@hotbeat/shared";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestRedis, testLogger, uniqueId } from "../../../test/helpers.js";
import { buildApp } from "../src/app.js";
import type { ApiDeps } from "../src/deps.js";
import { bodyOf } from "./testApi.js";

/** Nothing listens on port 1: every connection is refused, and ioredis keeps retrying. */
const DEAD_REDIS_URL = "redis://127.0.0.1:1";
const opened: Redis[] = [];

/**
 * A client of a Redis that is down. With `maxRetriesPerRequest: null` (what BullMQ needs) a
 * command waits for a reconnect that never comes; with a number it fails after that many tries.
 */
function deadRedis(maxRetriesPerRequest: number | null): Redis {
  const client = new Redis(DEAD_REDIS_URL, { maxRetriesPerRequest });
  client.on("error", () => undefined);
  opened.push(client);
  return client;
}

afterAll(() => {
  for (const client of opened) client.disconnect();
});

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});

async function buildWith(overrides: Partial<ApiDeps>) {
  const namespace = uniqueId("ns");
  const queue =
    overrides.queue ?? new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  const app = await buildApp({
    database,
    redis: createTestRedis(),
    queue,
    log: testLogger(),
    config: { redisNamespace: namespace, defaultTimezone: "UTC" },
    rateLimit: { max: 10_000, timeWindowMs: 60_000 },
    ...overrides,
  });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await queue.close();
  });
  return app;
}

/** Resolves with the answer, or with "hung" when none came within `ms`. */
async function answerWithin<T>(request: Promise<T>, ms: number): Promise<T | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), ms);
  });
  try {
    return await Promise.race([request, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe("with Redis down", () => {
  it("answers a trigger 202 with the recorded run, left for the sweeper to enqueue", async () => {
    const queue = new Queue(RUNS_QUEUE, { connection: deadRedis(null), prefix: uniqueId("ns") });
    queue.on("error", () => undefined);
    const app = await buildWith({ queue, enqueueTimeoutMs: 300 });
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/schedules",
      payload: { name: "report_when_down", task: "log", cron: "0 2 * * *" },
    });
    expect(created.statusCode, created.body).toBe(201);

    const response = await answerWithin(
      app.inject({ method: "POST", url: "/api/v1/schedules/report_when_down/trigger" }),
      5000,
    );
    expect(response).not.toBe("hung");
    if (response === "hung") return;
    expect(response.statusCode, response.body).toBe(202);
    const { run } = bodyOf(response);
    expect(run).toMatchObject({ schedule: "report_when_down", kind: "manual", status: "queued" });
    const [row] = await database.sql<
      { status: string; enqueued_at: Date | null }[]
    >`SELECT status, enqueued_at FROM runs WHERE id = ${run.id}`;
    expect(row).toEqual({ status: "queued", enqueued_at: null });
  });

  it("answers a write with ?wait=applied when the subscription never comes", async () => {
    const app = await buildWith({
      redis: deadRedis(null),
      createSubscriber: () => deadRedis(null),
    });
    const response = await answerWithin(
      app.inject({
        method: "POST",
        url: "/api/v1/schedules?wait=applied&timeoutMs=200",
        payload: { name: "wait_no_subscription", task: "log", cron: "0 3 * * *" },
      }),
      6000,
    );
    expect(response).not.toBe("hung");
    if (response === "hung") return;
    expect(response.statusCode, response.body).toBe(201);
    expect(bodyOf(response).applied).toEqual({ complete: false, schedulers: [], pending: [] });
  });

  it("answers a write with ?wait=applied when the live schedulers cannot be read", async () => {
    const app = await buildWith({ redis: deadRedis(null), createSubscriber: () => createTestRedis() });
    const response = await answerWithin(
      app.inject({
        method: "POST",
        url: "/api/v1/schedules?wait=applied&timeoutMs=200",
        payload: { name: "wait_no_live_set", task: "log", cron: "0 4 * * *" },
      }),
      6000,
    );
    expect(response).not.toBe("hung");
    if (response === "hung") return;
    expect(response.statusCode, response.body).toBe(201);
    expect(bodyOf(response).applied).toMatchObject({ complete: false });
  });

  it("keeps at most one applied-subscriber connection trying to reconnect however many writes wait", async () => {
    const subscribers: Array<{ client: Redis; attempts: number }> = [];
    const app = await buildWith({
      redis: deadRedis(1),
      createSubscriber: () => {
        const entry = { client: deadRedis(1), attempts: 0 };
        entry.client.on("reconnecting", () => (entry.attempts += 1));
        subscribers.push(entry);
        return entry.client;
      },
    });
    for (let i = 0; i < 4; i++) {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/schedules?wait=applied&timeoutMs=100",
        payload: { name: `wait_leak_${i}`, task: "log", cron: "0 5 * * *" },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    expect(subscribers.length).toBeGreaterThan(0);
    // ioredis waits at most 2 s between attempts: a connection left behind tries again within it.
    const before = subscribers.map((s) => s.attempts);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const stillTrying = subscribers.filter((s, i) => s.attempts > before[i]!);
    expect(stillTrying.length).toBeLessThanOrEqual(1);
  });
});
