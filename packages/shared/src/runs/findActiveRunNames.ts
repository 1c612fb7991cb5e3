import { and, inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs } from "../db/schema.js";
import { chunked } from "./ledgerChunks.js";

/**
 * The names among `scheduleNames` with a queued or running run (for `overlapPolicy: "skip"`), in
 * one query per chunk.
 */
export async function findActiveRunNames(
  db: Database,
  scheduleNames: readonly string[],
): Promise<Set<string>> {
  const active = new Set<string>();
  for (const chunk of chunked([...new Set(scheduleNames)])) {
    const rows = await db
      .selectDistinct({ name: runs.scheduleName })
      .from(runs)
      .where(and(inArray(runs.scheduleName, chunk), inArray(runs.status, ["queued", "running"])));
    for (const row of rows) active.add(row.name);
  }
  return active;
}
