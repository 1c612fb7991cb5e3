import { createServer } from "node:http";
import {
  createLogger,
  exitOnStartupFailure,
  installProcessGuards,
  loadConfig,
  prepareServices,
  stopOnSignals,
  type Logger,
} from "@hotbeat/shared";
import { startScheduler, type SchedulerHandle } from "./startScheduler.js";

function serveMetrics(handle: SchedulerHandle, host: string, port: number, log: Logger) {
  const server = createServer((req, res) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(handle.renderMetrics());
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
    log = createLogger({ level: config.logLevel, name: "hotbeat-scheduler" });
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
