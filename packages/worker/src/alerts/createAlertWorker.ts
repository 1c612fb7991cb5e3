import { EventEmitter } from "node:events";
import {
  ALERTS_QUEUE,
  alertJobDataSchema,
  TimeoutError,
  withTimeout,
  type AlertEvent,
  type Logger,
} from "@hotbeat/shared";
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import { createAddressPolicy } from "../outbound/addressPolicy.js";
import { classifyTaskFailure, formatIssues } from "../taskErrors.js";
import type { TaskRegistry } from "../taskRegistry.js";
import { deliverAlert } from "./deliverAlert.js";

export interface CreateAlertWorkerOptions {
  /** An ioredis client with `maxRetriesPerRequest: null`, or its options. */
  connection: ConnectionOptions;
  namespace: string;
  /** Where a task target is looked up. */
  registry: TaskRegistry;
  /** HOTBEAT_HTTP_TASK_ALLOW: the hosts or CIDRs a webhook may be although not public. */
  allow: readonly string[];
  log: Logger;
  /** Alerts delivered at once (default 2): alerts are rare, and must never crowd out runs. */
  concurrency?: number;
  /** Deadline of one webhook call (default 10 s). */
  webhookTimeoutMs?: number;
  userAgent?: string;
}

/** One delivery attempt of one alert. */
export interface AlertDeliveryEvent {
  key: string;
  event: AlertEvent;
  schedule: string;
  attempt: number;
}

/** The events of an {@link AlertWorker}; metrics and tests listen to them. */
export interface AlertWorkerEvents {
  sent: [AlertDeliveryEvent];
  retrying: [AlertDeliveryEvent & { error: string }];
  /** Given up: a permanent refusal, or the last attempt failed. */
  failed: [AlertDeliveryEvent & { error: string }];
}

/** How long in-flight deliveries may go on when the worker closes before they are aborted. */
const CLOSE_GRACE_MS = 5000;

/**
 * A small BullMQ worker of its own on the alerts queue: a slow or failing alert target holds up
 * alerts, never runs. BullMQ retries a failed delivery with the job's backoff up to its attempts
 * (`ALERT_JOB_OPTIONS`); a refusal that cannot change (a private address without the allow list,
 * a 4xx, an unknown task) ends it at once. Either way the run that caused the alert is untouched.
 */
export class AlertWorker extends EventEmitter<AlertWorkerEvents> {
  readonly bull: Worker;
  private readonly shutdown = new AbortController();
  private readonly log: Logger;
  private closing: Promise<void> | undefined;

  constructor(options: CreateAlertWorkerOptions) {
    super();
    this.log = options.log.child({ component: "alerts" });
    const deps = {
      policy: createAddressPolicy(options.allow),
      registry: options.registry,
      log: this.log,
      userAgent: options.userAgent ?? "hotbeat-worker/0.1 (+https://github.com/hotbeat)",
      webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
      shutdownSignal: this.shutdown.signal,
    };
    this.bull = new Worker(ALERTS_QUEUE, (job: Job) => this.process(deps, job), {
      connection: options.connection,
      prefix: options.namespace,
      concurrency: options.concurrency ?? 2,
    });
    this.bull.on("error", (error) => this.log.warn({ err: error }, "alerts queue connection error"));
  }

  private async process(deps: Parameters<typeof deliverAlert>[0], job: Job): Promise<void> {
    const parsed = alertJobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      const message = `invalid alert job: ${formatIssues(parsed.error, "data")}`;
      this.log.error({ jobId: job.id }, message);
      throw new UnrecoverableError(message);
    }
    const data = parsed.data;
    const attempt = job.attemptsMade + 1;
    const about = { key: data.key, event: data.body.event, schedule: data.body.schedule, attempt };
    const target = "url" in data.target ? { url: new URL(data.target.url).origin } : data.target;
    try {
      await deliverAlert(deps, data, attempt);
    } catch (error) {
      const failure = classifyTaskFailure(error);
      const isFinal = failure.kind === "permanent" || attempt >= (job.opts.attempts ?? 1);
      if (isFinal) {
        this.log.error({ ...about, target, error: failure.message }, "alert not delivered; giving up");
        this.emit("failed", { ...about, error: failure.message });
        throw new UnrecoverableError(failure.message);
      }
      this.log.warn({ ...about, target, error: failure.message }, "alert not delivered; will retry");
      this.emit("retrying", { ...about, error: failure.message });
      throw new Error(failure.message);
    }
    this.log.info({ ...about, target }, "alert sent");
    this.emit("sent", about);
  }

  /** Resolves once the worker's Redis connection is ready. */
  async waitUntilReady(): Promise<void> {
    await this.bull.waitUntilReady();
  }

  /** Stops taking alerts; a delivery still in flight after a few seconds is aborted and retried later. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    const closed = this.bull.close();
    try {
      await withTimeout(closed, CLOSE_GRACE_MS, "in-flight alerts");
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      this.shutdown.abort();
      await closed;
    }
  }
}

/** Creates and starts an {@link AlertWorker}. */
export function createAlertWorker(options: CreateAlertWorkerOptions): AlertWorker {
  return new AlertWorker(options);
}
