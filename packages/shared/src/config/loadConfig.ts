import { z } from "zod";
import { ConfigError } from "../errors.js";
import type { LogFormat } from "../logging/createLogger.js";
import { DEFAULT_ALERT_AFTER_FAILURES } from "../schedules/alert.js";
import { isValidTimeZone } from "../schedules/timeZones.js";

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
  );

/** Enough for a script that updates a few hundred schedules in a row, or an import per second. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;

const envSchema = z.object({
  DATABASE_URL: url(["postgres:", "postgresql:"]).default("postgres://postgres@127.0.0.1:5432/hotbeat"),
  REDIS_URL: url(["redis:", "rediss:"]).default("redis://127.0.0.1:6379"),
  HOTBEAT_HOST: z.string().min(1, "must not be empty").default("127.0.0.1"),
  HOTBEAT_PORT: integer(0, 65535).default(3000),
  HOTBEAT_API_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  HOTBEAT_DEFAULT_TIMEZONE: z
    .string()
    .refine(isValidTimeZone, "must be an IANA time zone such as Europe/Paris")
    .default("UTC"),
  HOTBEAT_POLL_INTERVAL_MS: integer(100, 86_400_000).default(60_000),
  HOTBEAT_WORKER_CONCURRENCY: integer(1, 1000).default(100),
  HOTBEAT_HTTP_TASK_ALLOW: z.string().optional(),
  HOTBEAT_SCHEDULER_METRICS_PORT: integer(1, 65535).optional(),
  HOTBEAT_WORKER_METRICS_PORT: integer(1, 65535).optional(),
  HOTBEAT_REDIS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,50}$/, "must be 1-50 letters, digits, _ or -")
    .default("hotbeat"),
  LOG_FORMAT: z.enum(["pretty", "json"], { message: "must be pretty or json" }).optional(),
  HOTBEAT_RATE_LIMIT: integer(0, 1_000_000).default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOTBEAT_URL: url(["http:", "https:"]).default("http://127.0.0.1:3000"),
  HOTBEAT_ALERT_URL: url(["http:", "https:"])
    .refine((value) => value.length <= 2000, "must be at most 2000 characters")
    .optional(),
  HOTBEAT_ALERT_AFTER_FAILURES: integer(1, 1000).default(DEFAULT_ALERT_AFTER_FAILURES),
});

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  apiToken: string | undefined;
  defaultTimezone: string;
  pollIntervalMs: number;
  workerConcurrency: number;
  /** Hosts or CIDRs the `http` task may reach although they are private; empty by default. */
  httpTaskAllow: string[];
  /** Where a standalone scheduler serves /metrics; unset: it does not (the API serves its own). */
  schedulerMetricsPort: number | undefined;
  /** Where a standalone worker serves /metrics; unset: it serves none. */
  workerMetricsPort: number | undefined;
  /** Prefix of every Redis key of hotbeat and of its BullMQ queue. */
  redisNamespace: string;
  logLevel: string;
  /** Forced by `LOG_FORMAT`; unset, pretty on a terminal and JSON otherwise. */
  logFormat: LogFormat | undefined;
  /** Writes a minute per client (per token when one is sent); 0 lifts the limit. */
  rateLimitPerMinute: number;
  apiUrl: string;
  /** The webhook alerted for every schedule whose `alert` is null; unset: such schedules alert no one. */
  alertUrl: string | undefined;
  /** How many runs in a row must fail before the default webhook hears of it. */
  alertAfterFailures: number;
}

/**
 * Parses and validates every hotbeat variable once. Empty strings count as unset, as a shell's
 * `VAR=` usually means "no value". Throws a {@link ConfigError} naming the first bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value.trim() === "" ? [] : [[key, value.trim()]];
    }),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const c = result.data;
  return {
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    host: c.HOTBEAT_HOST,
    port: c.HOTBEAT_PORT,
    apiToken: c.HOTBEAT_API_TOKEN,
    defaultTimezone: c.HOTBEAT_DEFAULT_TIMEZONE,
    pollIntervalMs: c.HOTBEAT_POLL_INTERVAL_MS,
    workerConcurrency: c.HOTBEAT_WORKER_CONCURRENCY,
    httpTaskAllow: (c.HOTBEAT_HTTP_TASK_ALLOW ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    schedulerMetricsPort: c.HOTBEAT_SCHEDULER_METRICS_PORT,
    workerMetricsPort: c.HOTBEAT_WORKER_METRICS_PORT,
    redisNamespace: c.HOTBEAT_REDIS_NAMESPACE,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    rateLimitPerMinute: c.HOTBEAT_RATE_LIMIT,
    apiUrl: c.HOTBEAT_URL,
    alertUrl: c.HOTBEAT_ALERT_URL,
    alertAfterFailures: c.HOTBEAT_ALERT_AFTER_FAILURES,
  };
}
