import {
  assertPostgresReachable,
  assertRedisReachable,
  createLogger,
  describeStartupFailure,
  loadConfig,
  migrateDatabase,
  type Config,
} from "@hotbeat/shared";
import { Redis } from "ioredis";
import { startWorker } from "./startWorker.js";

/** Below Kubernetes' default 30 s terminationGracePeriodSeconds, so we finish before a SIGKILL. */
const SHUTDOWN_GRACE_MS = 25_000;

function fail(reason: string): never {
  process.stderr.write(`hotbeat worker: ${reason}\n`);
  process.exit(1);
}

/** Pings once, without ioredis' endless reconnect, so that a missing Redis is reported at once. */
async function pingRedisOnce(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(describeStartupFailure(error).reason);
  }
  const log = createLogger({ level: config.logLevel, name: "hotbeat-worker" });
  try {
    await assertPostgresReachable(config.databaseUrl);
    await assertRedisReachable(config.redisUrl, () => pingRedisOnce(config.redisUrl));
    await migrateDatabase(config.databaseUrl);
  } catch (error) {
    fail(describeStartupFailure(error).reason);
  }

  const started = await startWorker(config, log);
  let isStopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (isStopping) {
      log.warn({ signal }, "second signal; exiting without waiting");
      process.exit(1);
    }
    isStopping = true;
    log.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, "stopping; letting in-flight tasks finish");
    started.close({ graceMs: SHUTDOWN_GRACE_MS }).then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, "unclean stop");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => fail(describeStartupFailure(error).reason));
