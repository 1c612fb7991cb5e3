import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow, type RunStatus } from "../db/schema.js";

/** Filters of {@link listRuns}; every one optional. */
export interface RunFilter {
  schedule?: string | undefined;
  status?: RunStatus | undefined;
  /** At most this many rows; 50 unless set. */
  limit?: number | undefined;
}

/** Task runs, newest first (by creation, then fire instant, so manual runs sort where they were made). */
export async function listRuns(db: Database, filter: RunFilter = {}): Promise<RunRow[]> {
  const conditions: SQL[] = [];
  if (filter.schedule !== undefined) conditions.push(eq(runs.scheduleName, filter.schedule));
  if (filter.status !== undefined) conditions.push(eq(runs.status, filter.status));
  return db
    .select()
    .from(runs)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(runs.createdAt), desc(runs.scheduledAt), desc(runs.id))
    .limit(filter.limit ?? 50);
}
