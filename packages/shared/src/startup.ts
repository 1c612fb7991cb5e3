import { Redis } from "ioredis";
import postgres from "postgres";
import type { Config } from "./config/loadConfig.js";
import type { Logger } from "./logging/createLogger.js";
import { migrateDatabase } from "./db/migrate.js";
import { AppError } from "./errors.js";
import { redactUrl } from "./logging/createLogger.js";

const HOW_TO_RUN =
  "start one with `docker compose up -d postgres redis`, or install Debian's postgresql and redis-server packages";

/** A service hotbeat needs did not answer at start. */
export class ServiceUnreachable extends AppError {
  constructor(service: "PostgreSQL" | "Redis", url: string, cause: unknown) {
    const address = describeAddress(url);
    const reason =
      (cause as { code?: string; message?: string })?.code ?? (cause as Error)?.message ?? String(cause);
    super("unreachable", `${service} does not answer at ${address} (${reason}); ${HOW_TO_RUN}`, [], {
      cause,
    });
  }
}

function describeAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith("redis") ? "6379" : "5432")}`;
  } catch {
    return redactUrl(url);
  }
}

/** Fails with {@link ServiceUnreachable} unless PostgreSQL answers at `url` (its server, any database). */
export async function assertPostgresReachable(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await sql`SELECT 1`;
  } catch (error) {
    throw new ServiceUnreachable("PostgreSQL", url, error);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

/** Pings once, without ioredis' endless reconnect, so that a missing Redis is reported at once. */
async function pingRedisOnce(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

/** Fails with {@link ServiceUnreachable} unless Redis answers a PING at `url` (or `ping`, when given). */
export async function assertRedisReachable(
  url: string,
  ping: () => Promise<unknown> = () => pingRedisOnce(url),
): Promise<void> {
  try {
    await ping();
  } catch (error) {
    throw new ServiceUnreachable("Redis", url, error);
  }
}

/**
 * What every process does before it starts its role: check that PostgreSQL and Redis answer
 * (failing with one line that says which, where, and how to get one) and apply the migrations.
 */
export async function prepareServices(config: Pick<Config, "databaseUrl" | "redisUrl">): Promise<void> {
  await assertPostgresReachable(config.databaseUrl);
  await assertRedisReachable(config.redisUrl);
  await migrateDatabase(config.databaseUrl);
}

/** One line for a failure at start: the message of an AppError, never a stack trace of one. */
export function describeStartupFailure(error: unknown): { reason: string } {
  if (error instanceof AppError) return { reason: error.message };
  return { reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/**
 * Last-resort handlers for a long-running process, installed by each `main.ts`. A promise
 * rejection nobody awaited is a bug, but one lost call must not take the scheduler, API or worker
 * down with it while PostgreSQL or Redis is away: it is logged with its cause and the process
 * goes on. An uncaught exception leaves state unknown: it is logged, and the process exits so a
 * supervisor restarts it.
 */
export function installProcessGuards(log: Logger): void {
  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason }, "unhandled promise rejection; the process goes on");
  });
  process.on("uncaughtException", (error) => {
    log.fatal({ err: error }, "uncaught exception; exiting");
    process.exit(1);
  });
}
