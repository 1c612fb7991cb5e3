import { ConfigError, createDb, RUNS_QUEUE, type Config, type Logger } from "@hotbeat/shared";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { buildApp } from "./app.js";
import type { ApiDeps } from "./deps.js";

/** What an embedding process may add: another component's metrics, a different rate limit. */
export type ApiExtras = Pick<ApiDeps, "metricsRegistries" | "rateLimit" | "bodyLimitBytes">;

export interface RunningApi {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Stops accepting requests, finishes those in flight, then closes its connections. */
  close(): Promise<void>;
}

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Refuses to serve an open API beyond this machine: without a token the API listens on loopback only. Throws a {@link ConfigError}, whose
 * message is the one line the process prints before exiting.
 */
export function assertSafeBinding(config: Pick<Config, "host" | "apiToken">): void {
  if (config.apiToken || isLoopbackHost(config.host)) return;
  throw new ConfigError(
    "HOTBEAT_API_TOKEN",
    `is not set, so the API may only listen on a loopback address, not ${config.host}; set a token or HOTBEAT_HOST=127.0.0.1`,
  );
}

/**
 * Opens the API's connections, builds the app and listens on `config.host:config.port`. Called by
 * the API's own `main.ts` and by the all-in-one server; migrations are the caller's business.
 */
export async function startApi(config: Config, log: Logger, extras: ApiExtras = {}): Promise<RunningApi> {
  assertSafeBinding(config);
  const db = createDb(config.databaseUrl, { applicationName: "hotbeat-api" });
  // A write must not hang on a lost Redis: the write path's publish has its own timeout, and a
  // command queued while offline fails after a few retries instead of waiting forever.
  // Auto-pipelining sends the publishes of one event-loop turn (a burst of writes) in one socket
  // write; subscriptions are never pipelined by ioredis, so the subscribers duplicated from it work.
  const redis = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 3,
    connectionName: "hotbeat-api",
    enableAutoPipelining: true,
  });
  const queueConnection = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 3,
    connectionName: "hotbeat-api-queue",
  });
  const queue = new Queue(RUNS_QUEUE, { connection: queueConnection, prefix: config.redisNamespace });
  for (const [name, client] of [
    ["redis", redis],
    ["queue-redis", queueConnection],
  ] as const) {
    client.on("error", (error: unknown) => log.warn({ err: error, client: name }, "redis connection error"));
  }

  const app = await buildApp({
    database: db,
    redis,
    queue,
    log: log.child({ component: "api" }),
    config,
    ...extras,
  });
  const closeConnections = async () => {
    await queue.close();
    queueConnection.disconnect();
    redis.disconnect();
    await db.close();
  };
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await closeConnections();
    throw error;
  }
  if (!config.apiToken)
    log.warn({ host: config.host }, "HOTBEAT_API_TOKEN is not set: the API is open, on loopback only");
  log.info({ url, docs: `${url}/docs` }, "api listening");
  return {
    app,
    url,
    async close() {
      await app.close();
      await closeConnections();
    },
  };
}
