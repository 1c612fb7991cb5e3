import postgres from "postgres";
import { AppError } from "./errors.js";
import { redactUrl } from "./logging/createLogger.js";

const HOW_TO_RUN =
  "start one with `docker compose up -d postgres redis`, or install Debian's postgresql and redis-server packages";

/** A service hotbeat needs did not answer at start. */
export class ServiceUnreachable extends AppError {
  constructor(service: "PostgreSQL" | "Redis", url: string, cause: unknown) {
    const address = describeAddress(url);
    const reason = (cause as { code?: string; message?: string })?.code ?? (cause as Error)?.message ?? String(cause);
    super("unreachable", `${service} does not answer at ${address} (${reason}); ${HOW_TO_RUN}`, [], { cause });
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

/** Fails with {@link ServiceUnreachable} unless `ping` answers (pass a Redis client's ping). */
export async function assertRedisReachable(url: string, ping: () => Promise<unknown>): Promise<void> {
  try {
    await ping();
  } catch (error) {
    throw new ServiceUnreachable("Redis", url, error);
  }
}

/** One line for a failure at start: the message of an AppError, never a stack trace of one. */
export function describeStartupFailure(error: unknown): { reason: string } {
  if (error instanceof AppError) return { reason: error.message };
  return { reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
