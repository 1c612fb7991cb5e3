import {
  createLogger,
  exitOnStartupFailure,
  installProcessGuards,
  loadConfig,
  prepareServices,
  serveMetrics,
  stopOnSignals,
  type Logger,
} from "@hotbeat/shared";
import { startScheduler } from "./startScheduler.js";

/** Past this, a stopping scheduler exits anyway; its lease then expires on its own. */
const STOP_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let log: Logger | undefined;
  try {
    const config = loadConfig(process.env);
    const metricsPort = config.schedulerMetricsPort;
    log = createLogger({ level: config.logLevel, format: config.logFormat, name: "hotbeat-scheduler" });
    installProcessGuards(log);
    await prepareServices(config);
    const handle = await startScheduler(config, log);
    const server =
      metricsPort === undefined
        ? undefined
        : serveMetrics({ render: () => handle.renderMetrics(), host: config.host, port: metricsPort, log });
    stopOnSignals({
      log,
      stoppingMessage: "stopping: releasing the leader lease",
      stop: () => {
        server?.close();
        return handle.stop();
      },
      deadlineMs: STOP_DEADLINE_MS,
    });
  } catch (error) {
    exitOnStartupFailure("hotbeat scheduler", error, log);
  }
}

void main();
