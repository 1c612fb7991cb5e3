import type { DbHandle, Logger, MetricsRegistry } from "@hotbeat/shared";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** The part of the configuration the API itself reads; `Config` from `loadConfig` fits. */
export interface ApiConfig {
  /** When set, every `/api` route and `/update_schedule` needs `Authorization: Bearer <token>`. */
  apiToken?: string | undefined;
  /** Prefix of hotbeat's Redis keys and channels (scheduler self-reports, applied channel). */
  redisNamespace: string;
  defaultTimezone: string;
  /** Writes a minute per client, `HOTBEAT_RATE_LIMIT`; 0 lifts the limit. The default if unset. */
  rateLimitPerMinute?: number;
  /**
   * `HOTBEAT_POLL_INTERVAL_MS`: how often the page's live feed looks for raw SQL edits, as the
   * schedulers do; 60 s if unset.
   */
  pollIntervalMs?: number;
}

/** Write rate limit, per token (or per client address without one). */
export interface RateLimitOptions {
  max: number;
  timeWindowMs: number;
}

/** Everything `buildApp` needs; `main.ts` opens these, tests build their own. */
export interface ApiDeps {
  database: DbHandle;
  /** Publishes `schedule_updates`, reads scheduler self-reports, answers `/ready`. */
  redis: Redis;
  /**
   * Opens the one subscriber connection the app uses for `?wait=applied` (a subscribed ioredis
   * connection cannot run other commands). Defaults to `redis.duplicate()`.
   */
  createSubscriber?: () => Redis;
  /** The BullMQ runs queue, for manual triggers. */
  queue: Queue;
  log: Logger;
  config: ApiConfig;
  now?: () => Date;
  /** Overrides `config.rateLimitPerMinute` with any window; tests set it. */
  rateLimit?: RateLimitOptions;
  /** Largest request body accepted, in bytes; 256 KiB unless set. */
  bodyLimitBytes?: number;
  /**
   * How long a manual trigger waits for Redis to take its job (1 s unless set); past it the run,
   * already recorded, is answered as queued and the scheduler's sweeper enqueues it.
   */
  enqueueTimeoutMs?: number;
  /** How long `/ready` waits for PostgreSQL and Redis. */
  readyTimeoutMs?: number;
  /**
   * How long a route that needs PostgreSQL waits before answering 503 (5 s unless set), plus the
   * `timeoutMs` of a `?wait=applied`.
   */
  databaseDeadlineMs?: number;
  /**
   * Other roles' registries, merged into `/metrics` with the API's and the process metrics, so an
   * all-in-one process shows its scheduler's and worker's.
   */
  metricsRegistries?: MetricsRegistry[];
}
