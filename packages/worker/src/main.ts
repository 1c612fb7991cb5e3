import {
  createLogger,
  exitOnStartupFailure,
  installProcessGuards,
  loadConfig,
  prepareServices,
  renderMetrics,
  serveMetrics,
  stopOnSignals,
  type Config,
} from "@hotbeat/shared";
import { startWorker } from "./startWorker.js";

/** Below Kubernetes' default 30 s terminationGracePeriodSeconds, so we finish before a SIGKILL. */
const SHUTDOWN_GRACE_MS = 25_000;

/** The grace, then the time a handler has to notice its abort, then a margin. */
const STOP_DEADLINE_MS = SHUTDOWN_GRACE_MS + 10_000;

function fail(error: unknown): never {
  exitOnStartupFailure("hotbeat worker", error);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error);
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat, name: "hotbeat-worker" });
  installProcessGuards(log);
  try {
    await prepareServices(config);
  } catch (error) {
    fail(error);
  }

  const started = await startWorker(config, log);
  const port = config.workerMetricsPort;
  const server =
    port === undefined
      ? undefined
      : serveMetrics({
          render: () => renderMetrics([started.metricsRegistry]),
          host: config.host,
          port,
          log,
        });
  stopOnSignals({
    log,
    stoppingMessage: "stopping; letting in-flight tasks finish",
    stop: () => {
      server?.close();
      return started.close({ graceMs: SHUTDOWN_GRACE_MS });
    },
    deadlineMs: STOP_DEADLINE_MS,
  });
}

main().catch((error: unknown) => fail(error));
