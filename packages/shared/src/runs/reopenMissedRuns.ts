import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow } from "../db/schema.js";
import type { Schedule } from "../schedules/model.js";

/**
 * Turns the `missed` runs among `runIds` back into `queued` runs of the schedule's current
 * definition, for a backfill: an instant the misfire policy passed over never ran, so running it
 * now keeps one run per (schedule, instant). Returns the rows it reopened; call enqueue and
 * markEnqueued on them as for new ones (the sweeper heals a crash in between).
 */
export async function reopenMissedRuns(
  db: Database,
  schedule: Schedule,
  runIds: readonly string[],
): Promise<RunRow[]> {
  if (runIds.length === 0) return [];
  return db
    .update(runs)
    .set({
      status: "queued",
      task: schedule.task,
      payload: schedule.payload ?? {},
      scheduleVersion: schedule.version,
      error: null,
      finishedAt: null,
      enqueuedAt: null,
    })
    .where(and(eq(runs.status, "missed"), inArray(runs.id, [...runIds])))
    .returning();
}
