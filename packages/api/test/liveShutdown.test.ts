import { RUNS_QUEUE } from "@hotbeat/shared";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import { createTestDatabase, createTestRedis, testLogger, uniqueId } from "../../../test/helpers.js";
import { startPrivateRedis, type PrivateServer } from "../../../test/privateServices.js";
import { buildApp } from "../src/app.js";
import { CLOSE_GRACE_MS } from "../src/live/liveFeed.js";

// Closing the API must not wait on a Redis that is gone: its live feed's subscriber would
// otherwise hold QUIT in ioredis's offline queue until a reconnect that never comes.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: PrivateServer;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await startPrivateRedis();
});

/** A client of the private Redis as the API makes them (BullMQ's setting: commands wait forever). */
function privateClient(): Redis {
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on("error", () => undefined);
  releaseAfterFile(() => client.disconnect());
  return client;
}

async function buildOnPrivateRedis(subscribers: Redis[]): Promise<FastifyInstance> {
  const namespace = uniqueId("ns");
  const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  releaseAfterFile(() => queue.close());
  const app = await buildApp({
    database,
    redis: privateClient(),
    queue,
    log: testLogger(),
    config: { redisNamespace: namespace, defaultTimezone: "UTC" },
    rateLimit: { max: 10_000, timeWindowMs: 60_000 },
    createSubscriber: () => {
      const client = privateClient();
      subscribers.push(client);
      return client;
    },
  });
  await app.ready();
  return app;
}

/** "closed", or "hung" when closing took longer than `ms`, far past the feed's own bound. */
async function closeWithin(app: FastifyInstance, ms: number): Promise<"closed" | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), ms);
  });
  try {
    return await Promise.race([app.close().then(() => "closed" as const), hung]);
  } finally {
    clearTimeout(timer);
  }
}

const BOUND_MS = CLOSE_GRACE_MS * 2 + 3000;

describe("closing the API with Redis unreachable", { timeout: 30_000 }, () => {
  it("closes within its bound when the live feed's subscriber never connected", async () => {
    await redis.kill();
    const subscribers: Redis[] = [];
    const app = await buildOnPrivateRedis(subscribers);
    expect(subscribers.length).toBeGreaterThan(0);
    expect(subscribers.every((client) => client.status !== "ready")).toBe(true);
    expect(await closeWithin(app, BOUND_MS)).toBe("closed");
  });

  it("closes within its bound when Redis went away under a subscribed feed", async () => {
    await redis.start();
    const subscribers: Redis[] = [];
    const app = await buildOnPrivateRedis(subscribers);
    const feed = subscribers.at(-1)!;
    if (feed.status !== "ready") await new Promise((resolve) => feed.once("ready", resolve));
    const lost = new Promise((resolve) => feed.once("close", resolve));
    await redis.kill();
    await lost;
    // A command sent while Redis is gone waits in the offline queue, ahead of QUIT.
    void feed.ping().catch(() => undefined);
    expect(await closeWithin(app, BOUND_MS)).toBe("closed");
  });
});
