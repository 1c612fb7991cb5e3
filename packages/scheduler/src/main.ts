import { createServer } from "node:http";
import { Redis } from "ioredis";
import {
  assertPostgresReachable,
  assertRedisReachable,
  createLogger,
  describeStartupFailure,
  loadConfig,
  migrateDatabase,
  type Logger,
} from "@hotbeat/shared";
import { startScheduler, type SchedulerHandle } from "./startScheduler.js";

async function pingRedis(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

/** The optional /metrics listener of a standalone scheduler (the API serves its own). */
function parseMetricsPort(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`HOTBEAT_SCHEDULER_METRICS_PORT: must be a port number, got "${value}"`);
  }
  return port;
}

function serveMetrics(handle: SchedulerHandle, host: string, port: number, log: Logger) {
  const server = createServer((req, res) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(handle.renderMetrics());
    } else res.writeHead(404).end();
  });
  server.listen(port, host, () => log.info({ host, port }, "scheduler metrics listening"));
  return server;
}

async function main(): Promise<void> {
  let log: Logger | undefined;
  try {
    const config = loadConfig(process.env);
    const metricsPort = parseMetricsPort(process.env.HOTBEAT_SCHEDULER_METRICS_PORT);
    log = createLogger({ level: config.logLevel, name: "hotbeat-scheduler" });
    await assertPostgresReachable(config.databaseUrl);
    await assertRedisReachable(config.redisUrl, () => pingRedis(config.redisUrl));
    await migrateDatabase(config.databaseUrl);
    const handle = await startScheduler(config, log);
    const server = metricsPort === undefined ? undefined : serveMetrics(handle, config.host, metricsPort, log);
    const shutdown = (signal: string) => {
      log!.info({ signal }, "stopping: releasing the leader lease");
      server?.close();
      handle.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log!.error({ err: error }, "stop failed");
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  } catch (error) {
    const { reason } = describeStartupFailure(error);
    if (log) log.fatal({ reason }, "scheduler cannot start");
    process.stderr.write(`hotbeat scheduler: ${reason}\n`);
    process.exit(1);
  }
}

void main();
