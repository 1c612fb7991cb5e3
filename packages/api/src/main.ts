import {
  assertPostgresReachable,
  assertRedisReachable,
  createLogger,
  describeStartupFailure,
  installProcessGuards,
  loadConfig,
  migrateDatabase,
} from "@hotbeat/shared";
import { Redis } from "ioredis";
import { assertSafeBinding, startApi } from "./startApi.js";

/**
 * `npm run start:api`: the one place that reads the environment, opens connections and installs
 * signal handlers. Any failure at start is one line and exit code 1, never a stack trace.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
    assertSafeBinding(config);
  } catch (error) {
    process.stderr.write(`hotbeat api: ${describeStartupFailure(error).reason}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat, name: "hotbeat-api" });
  installProcessGuards(log);
  try {
    await assertPostgresReachable(config.databaseUrl);
    const probe = new Redis(config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // The failure is reported by assertRedisReachable; without a listener ioredis prints it too.
    probe.on("error", () => undefined);
    try {
      await assertRedisReachable(config.redisUrl, async () => {
        await probe.connect();
        await probe.ping();
      });
    } finally {
      probe.disconnect();
    }
    await migrateDatabase(config.databaseUrl);
    const api = await startApi(config, log);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "stopping");
      api.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, "error while stopping");
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  } catch (error) {
    // One line, on stderr, whatever the log format: this is read by a person starting the API.
    process.stderr.write(`hotbeat api: ${describeStartupFailure(error).reason}\n`);
    process.exit(1);
  }
}

await main();
