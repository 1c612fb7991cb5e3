import { startApi } from "@hotbeat/api";
import { startScheduler } from "@hotbeat/scheduler";
import {
  createLogger,
  describeStartupFailure,
  installProcessGuards,
  loadConfig,
  prepareServices,
  type Logger,
} from "@hotbeat/shared";
import { startWorker } from "@hotbeat/worker";

/** Below Kubernetes' default 30 s terminationGracePeriodSeconds, so in-flight tasks finish first. */
const SHUTDOWN_GRACE_MS = 25_000;

/**
 * `npm start`: migrations, then the API, a scheduler and a worker in one process, for development
 * and small deployments. Each role is the same code its own `start:*` script runs.
 */
async function main(): Promise<void> {
  let log: Logger | undefined;
  try {
    const config = loadConfig(process.env);
    log = createLogger({ level: config.logLevel, format: config.logFormat, name: "hotbeat" });
    installProcessGuards(log);
    await prepareServices(config);
    const worker = await startWorker(config, log.child({ role: "worker" }));
    const scheduler = await startScheduler(config, log.child({ role: "scheduler" }));
    const api = await startApi(config, log.child({ role: "api" }), {
      // One /metrics for the three roles; the process metrics appear once.
      metricsRegistries: [scheduler.metricsRegistry, worker.metricsRegistry],
    });
    log.info({ url: api.url }, "hotbeat is running: API, scheduler and worker");

    let isStopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (isStopping) process.exit(1);
      isStopping = true;
      log!.info({ signal }, "stopping");
      // The API first (no new writes), then the scheduler (releases its lease), then the worker
      // (lets in-flight tasks finish).
      api
        .close()
        .then(() => scheduler.stop())
        .then(() => worker.close({ graceMs: SHUTDOWN_GRACE_MS }))
        .then(
          () => process.exit(0),
          (error: unknown) => {
            log!.error({ err: error }, "unclean stop");
            process.exit(1);
          },
        );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  } catch (error) {
    const { reason } = describeStartupFailure(error);
    log?.fatal({ reason }, "hotbeat cannot start");
    process.stderr.write(`hotbeat: ${reason}\n`);
    process.exit(1);
  }
}

void main();
