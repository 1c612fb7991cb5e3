import {
  ALERTS_QUEUE,
  createDb,
  readAlertSettings,
  serializeError,
  warmRunStatements,
  withTimeout,
  type Config,
  type Logger,
  type MetricsRegistry,
} from "@hotbeat/shared";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { registerAlertMetrics } from "./alerts/alertMetrics.js";
import { createAlertWorker, type AlertWorker } from "./alerts/createAlertWorker.js";
import { OutcomeAlerter } from "./alerts/outcomeAlerter.js";
import { createWorker, type RunWorker } from "./createWorker.js";
import { createRunUpdateAnnouncer } from "./runUpdateAnnouncer.js";
import { createTaskRegistry, type TaskDefinition } from "./taskRegistry.js";
import { createHttpTask } from "./tasks/http.js";
import { createLogTask } from "./tasks/log.js";
import { createWorkerMetrics } from "./workerMetrics.js";

/** Most PostgreSQL connections a worker opens, whatever its concurrency. */
const MAX_POOL_SIZE = 10;
/** How long a starting worker waits for its pool to open before it starts without. */
const WARM_UP_MS = 5000;

export interface StartedWorker {
  worker: RunWorker;
  /** Delivers the alerts of every role from the alerts queue. */
  alertWorker: AlertWorker;
  /** The registry of this worker's metrics, to merge into another role's /metrics. */
  metricsRegistry: MetricsRegistry;
  /** Lets in-flight tasks finish within `graceMs` (default 30 s), then closes every connection. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Opens the worker's own PostgreSQL pool and Redis connection, registers the built-in tasks and
 * `extraTasks`, and starts taking runs. Used by the worker's main.ts and by the all-in-one server;
 * checking that the services answer and migrating is the caller's job.
 */
export async function startWorker(
  config: Config,
  rootLog: Logger,
  // A task's payload type is its own business; the registry validates it with the task's schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  extraTasks: ReadonlyArray<TaskDefinition<any>> = [],
): Promise<StartedWorker> {
  const log = rootLog.child({}, { serializers: { err: serializeError } });
  const registry = createTaskRegistry()
    .register(createLogTask())
    .register(createHttpTask({ allow: config.httpTaskAllow }));
  for (const task of extraTasks) registry.register(task);

  // Claims and outcomes go to PostgreSQL in shared statements (groupCommit.ts), so a few
  // connections serve any concurrency; one per task would exhaust PostgreSQL's 100 by default.
  const poolSize = Math.min(config.workerConcurrency + 2, MAX_POOL_SIZE);
  const database = createDb(config.databaseUrl, { max: poolSize, applicationName: "hotbeat-worker" });
  // BullMQ workers block on this connection, so commands must wait for a reconnect, never fail.
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  let isRedisDown = false;
  connection.on("error", (error) => {
    if (!isRedisDown) log.warn({ err: error }, "lost Redis; reconnecting");
    isRedisDown = true;
  });
  connection.on("ready", () => {
    if (isRedisDown) log.info("Redis is back");
    isRedisDown = false;
  });

  const alertQueue = new Queue(ALERTS_QUEUE, { connection, prefix: config.redisNamespace });
  alertQueue.on("error", (error: Error) => log.warn({ err: error }, "alerts queue error"));
  const alerter = new OutcomeAlerter({
    db: database.db,
    queue: alertQueue,
    settings: readAlertSettings(config),
    log: log.child({ component: "alerts" }),
  });
  const worker = createWorker({
    db: database.db,
    connection,
    namespace: config.redisNamespace,
    registry,
    concurrency: config.workerConcurrency,
    log,
    onRunsFinished: (runs) => alerter.note(runs),
  });
  const alertWorker = createAlertWorker({
    connection,
    namespace: config.redisNamespace,
    registry,
    allow: config.httpTaskAllow,
    log,
  });
  // Live views (the page's event stream) learn of each run transition; best effort.
  const announce = createRunUpdateAnnouncer(connection, config.redisNamespace, log);
  for (const event of ["started", "retrying", "finished"] as const)
    worker.on(event, ({ runId }: { runId: string }) => announce(runId));
  const metricsRegistry = createWorkerMetrics(worker);
  registerAlertMetrics(metricsRegistry, alertWorker);
  await Promise.all([
    worker.waitUntilReady(),
    alertWorker.waitUntilReady(),
    // Best effort, and bounded: with PostgreSQL away or not answering, the first runs open their
    // connections themselves, and the worker starts all the same.
    withTimeout(warmRunStatements(database.db, poolSize), WARM_UP_MS, "opening the PostgreSQL pool").catch(
      (error: unknown) =>
        log.warn({ err: error }, "could not open the PostgreSQL pool ahead of the first runs"),
    ),
  ]);
  log.info({ tasks: registry.names(), concurrency: config.workerConcurrency }, "worker started");

  return {
    worker,
    alertWorker,
    metricsRegistry,
    async close(options = {}) {
      await worker.close(options);
      // The outcomes just recorded still raise their alerts; then the deliveries stop.
      await alerter.close();
      await alertWorker.close();
      await alertQueue.close();
      await connection
        .quit()
        .catch((error: unknown) => log.warn({ err: error }, "could not close Redis cleanly"));
      await database.close();
    },
  };
}
