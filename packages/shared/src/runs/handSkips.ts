import { and, asc, eq, gt, like, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { runs, type RunRow } from "../db/schema.js";
import type { Schedule } from "../schedules/model.js";
import { recordRuns } from "./recordRuns.js";
import { isRecordedAhead } from "./runsAhead.js";

// A hand skip is a `skipped` run recorded ahead of its instant. The unique (schedule, instant)
// key then makes the scheduler's own record of that instant find the row instead of inserting
// one, and a row that is not `queued` is never enqueued: the instant does not run. The sweeper
// only looks at `queued` and `running` rows, so it never mistakes a skip for a lost run.

const HAND_SKIP_PREFIX = "skipped by ";

/** The reason a hand skip records: `skipped by alice`. */
export function describeHandSkip(actor: string): string {
  return `${HAND_SKIP_PREFIX}${actor}`;
}

const isHandSkip = and(eq(runs.status, "skipped"), like(runs.error, `${HAND_SKIP_PREFIX}%`));

/**
 * Records `at` of `schedule` as skipped by `actor`. When the instant already has a run (skipped
 * already, by hand or otherwise), that row is returned with `isNew: false` and nothing changes,
 * except for a run the leader recorded ahead of its instant and has not enqueued (see
 * runsAhead): that one becomes the skip, since the fire is not due yet. A job the leader adds for
 * it at the instant finds it finished and never runs it.
 */
export async function recordHandSkip(
  db: Database,
  schedule: Schedule,
  at: Date,
  actor: string,
): Promise<{ run: RunRow; isNew: boolean }> {
  const reason = describeHandSkip(actor);
  const [recorded] = await recordRuns(db, [{ schedule, scheduledAt: at, status: "skipped", reason }]);
  if (recorded!.isNew || recorded!.run.status !== "queued") return recorded!;
  const [skipped] = await db
    .update(runs)
    .set({ status: "skipped", error: reason, finishedAt: sql`now()` })
    .where(and(eq(runs.id, recorded!.run.id), isRecordedAhead))
    .returning();
  return skipped ? { run: skipped, isNew: true } : recorded!;
}

/** Removes the hand skip of `at`, if there is one; returns the removed row. Other runs stay. */
export async function removeHandSkip(
  db: Database,
  scheduleName: string,
  at: Date,
): Promise<RunRow | undefined> {
  const [removed] = await db
    .delete(runs)
    .where(
      and(
        eq(runs.kind, "schedule"),
        eq(runs.scheduleName, scheduleName),
        eq(runs.scheduledAt, at),
        isHandSkip,
      ),
    )
    .returning();
  return removed;
}

/** The hand skips of a schedule strictly after `after`, oldest first: reasons by epoch ms. */
export async function listHandSkips(
  db: Database,
  scheduleName: string,
  after: Date,
  limit = 1000,
): Promise<Map<number, string>> {
  const rows = await db
    .select({ at: runs.scheduledAt, reason: runs.error })
    .from(runs)
    .where(
      and(
        eq(runs.kind, "schedule"),
        eq(runs.scheduleName, scheduleName),
        gt(runs.scheduledAt, after),
        isHandSkip,
      ),
    )
    .orderBy(asc(runs.scheduledAt))
    .limit(limit);
  return new Map(rows.map((row) => [row.at.getTime(), row.reason ?? HAND_SKIP_PREFIX.trim()]));
}
