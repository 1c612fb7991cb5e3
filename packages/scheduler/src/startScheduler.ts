import { Queue } from "bullmq";
import { Redis } from "ioredis";
import {
  ALERTS_QUEUE,
  RUNS_QUEUE,
  createDb,
  publishRunUpdates,
  readAlertSettings,
  type Config,
  type Logger,
  type MetricsRegistry,
} from "@hotbeat/shared";
import { watchMissedFires } from "./firing/watchMissedFires.js";
import { createScheduler, type Scheduler } from "./scheduler.js";

/** A running scheduler with the connections it was started with. */
export interface SchedulerHandle {
  scheduler: Scheduler;
  renderMetrics(): Promise<string>;
  /** The registry of this scheduler's metrics, to merge into another role's /metrics. */
  readonly metricsRegistry: MetricsRegistry;
  /** Stops firing, releases the lease (another replica takes over at once), closes everything. */
  stop(): Promise<void>;
}

/**
 * Opens the scheduler's connections from `config` and starts it: for `main.ts` and for the
 * all-in-one server. The caller has checked PostgreSQL and Redis and migrated the database.
 */
export async function startScheduler(config: Config, log: Logger): Promise<SchedulerHandle> {
  const db = createDb(config.databaseUrl, { max: 5, applicationName: "hotbeat-scheduler" });
  // BullMQ needs maxRetriesPerRequest: null on its connection so a Redis outage makes adds wait
  // for the reconnect instead of failing after a few retries.
  const queueConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  queueConnection.on("error", (error: Error) => log.warn({ err: error }, "queue connection error"));
  const queue = new Queue(RUNS_QUEUE, { connection: queueConnection, prefix: config.redisNamespace });
  queue.on("error", (error: Error) => log.warn({ err: error }, "queue error"));
  const scheduler = createScheduler({
    database: db,
    redisUrl: config.redisUrl,
    queue,
    log,
    namespace: config.redisNamespace,
    pollIntervalMs: config.pollIntervalMs,
  });
  // Live views (the page's event stream) learn of each fired run; best effort.
  scheduler.events.on("fired", ({ runId }: { runId: string }) => {
    publishRunUpdates(queueConnection, config.redisNamespace, [runId]).catch((error: unknown) =>
      log.debug({ err: error, runId }, "run update not published"),
    );
  });
  const alertQueue = new Queue(ALERTS_QUEUE, { connection: queueConnection, prefix: config.redisNamespace });
  alertQueue.on("error", (error: Error) => log.warn({ err: error }, "alerts queue error"));
  const missedAlerts = watchMissedFires(scheduler.events, {
    db: db.db,
    queue: alertQueue,
    settings: readAlertSettings(config),
    log: log.child({ component: "alerts" }),
  });
  const close = async () => {
    await missedAlerts.close();
    await alertQueue.close();
    await queue.close();
    queueConnection.disconnect();
    await db.close();
  };
  try {
    await scheduler.start();
  } catch (error) {
    await scheduler.stop().catch(() => undefined);
    await close();
    throw error;
  }
  return {
    scheduler,
    renderMetrics: () => scheduler.renderMetrics(),
    metricsRegistry: scheduler.metricsRegistry,
    async stop() {
      await scheduler.stop();
      await close();
    },
  };
}
