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

/**
 * Opens a pool to `url`. postgres.js connects lazily and reconnects by itself, so a process that
 * loses PostgreSQL keeps running and its next query succeeds once the server is back.
 */
export function createDb(url: string, options: { max?: number; applicationName?: string } = {}): DbHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    connect_timeout: 10,
    connection: { application_name: options.applicationName ?? "hotbeat" },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
