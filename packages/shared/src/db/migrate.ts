import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { createDb } from "./client.js";

/** The committed migrations, shipped beside `dist/` in this package. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** An arbitrary, fixed advisory-lock key so that processes starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_470_117_001;

/** Creates the database named in `url` when the server does not have it yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, "")) || "postgres";
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => undefined, connect_timeout: 10 });
  try {
    const [row] = await sql`SELECT 1 AS present FROM pg_database WHERE datname = ${name}`;
    if (!row) {
      await sql.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"`).catch((error: unknown) => {
        // 42P04: another process created it between our check and our CREATE.
        if ((error as { code?: string }).code !== "42P04") throw error;
      });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates the database if needed and applies every pending migration, under an advisory lock. */
export async function migrateDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  const handle = createDb(url, { max: 1, applicationName: "hotbeat-migrate" });
  try {
    await handle.sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await handle.sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await handle.close();
  }
}
