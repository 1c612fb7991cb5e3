import { startApi } from "@hotbeat/api";
import { startScheduler } from "@hotbeat/scheduler";
import {
  createLogger,
  exitOnStartupFailure,
  installProcessGuards,
  loadConfig,
  prepareServices,
  stopOnSignals,
  type Logger,
} from "@hotbeat/shared";
import { startWorker } from "@hotbeat/worker";

/** Below Kubernetes' default 30 s terminationGracePeriodSeconds, so in-flight tasks finish first. */
const SHUTDOWN_GRACE_MS = 25_000;

/** The worker's grace and its abort unwind, plus the API and the scheduler closing first. */
const STOP_DEADLINE_MS = SHUTDOWN_GRACE_MS + 10_000;

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

    // The API first (no new writes), then the scheduler (releases its lease), then the worker
    // (lets in-flight tasks finish).
    stopOnSignals({
      log,
      stoppingMessage: "stopping",
      stop: async () => {
        await api.close();
        await scheduler.stop();
        await worker.close({ graceMs: SHUTDOWN_GRACE_MS });
      },
      deadlineMs: STOP_DEADLINE_MS,
    });
  } catch (error) {
    exitOnStartupFailure("hotbeat", error, log);
  }
}

void main();
