import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.js";

export type Database = PostgresJsDatabase<typeof schema>;

export interface DbHandle {
  db: Database;
  /** The underlying postgres.js client, for the few statements Drizzle does not express. */
  sql: postgres.Sql;
  close(): Promise<void>;
}

export interface DbOptions {
  max?: number;
  applicationName?: string;
  /**
   * The longest pause between two attempts to reach a PostgreSQL that refuses connections
   * [2000]. A query waits for the next attempt, so this bounds how long after PostgreSQL is back
   * a process still fails; postgres.js's own backoff grows to 20 s.
   */
  maxReconnectDelayMs?: number;
}

const DEFAULT_MAX_RECONNECT_DELAY_MS = 2000;

/**
 * Opens a pool to `url`. postgres.js connects lazily and reconnects by itself, so a process that
 * loses PostgreSQL keeps running and its next query succeeds once the server is back.
 */
export function createDb(url: string, options: DbOptions = {}): DbHandle {
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? DEFAULT_MAX_RECONNECT_DELAY_MS;
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    connect_timeout: 10,
    connection: { application_name: options.applicationName ?? "hotbeat" },
    // The same growth as postgres.js's default (3^attempt / 100 s, with jitter), capped lower.
    backoff: (attempt: number) =>
      (0.5 + Math.random() / 2) * Math.min(3 ** attempt / 100, maxReconnectDelayMs / 1000),
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
