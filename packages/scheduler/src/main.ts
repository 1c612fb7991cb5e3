import { createServer } from "node:http";
import {
  createLogger,
  describeStartupFailure,
  installProcessGuards,
  loadConfig,
  METRICS_CONTENT_TYPE,
  prepareServices,
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
