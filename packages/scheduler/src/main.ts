import { createServer } from "node:http";
import {
  createLogger,
  exitOnStartupFailure,
  installProcessGuards,
  loadConfig,
  METRICS_CONTENT_TYPE,
  prepareServices,
  stopOnSignals,
  type Logger,
} from "@hotbeat/shared";
import { startScheduler, type SchedulerHandle } from "./startScheduler.js";

function serveMetrics(handle: SchedulerHandle, host: string, port: number, log: Logger) {
  const server = createServer((req, res) => {
    if (req.url === "/metrics") {
      handle.renderMetrics().then(
        (text) => res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(text),
        (error: unknown) => {
          log.error({ err: error }, "metrics could not be rendered");
          res.writeHead(500).end();
        },
      );
    } else res.writeHead(404).end();
  });
  server.listen(port, host, () => log.info({ host, port }, "scheduler metrics listening"));
  return server;
}

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
      metricsPort === undefined ? undefined : serveMetrics(handle, config.host, metricsPort, log);
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
