import {
  createLogger,
  describeStartupFailure,
  installProcessGuards,
  loadConfig,
  prepareServices,
  type Config,
} from "@hotbeat/shared";
import { startWorker } from "./startWorker.js";

/** Below Kubernetes' default 30 s terminationGracePeriodSeconds, so we finish before a SIGKILL. */
const SHUTDOWN_GRACE_MS = 25_000;

function fail(reason: string): never {
  process.stderr.write(`hotbeat worker: ${reason}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(describeStartupFailure(error).reason);
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat, name: "hotbeat-worker" });
  installProcessGuards(log);
  try {
    await prepareServices(config);
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
