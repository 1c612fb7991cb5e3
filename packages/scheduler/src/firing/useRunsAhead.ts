import {
  deleteRunsAhead,
  type Database,
  type DispatchResult,
  type RunRow,
  type RunSpec,
  type RunToDispatch,
} from "@hotbeat/shared";
import type { RunsAhead } from "./runsAhead.js";

/** What to dispatch for a batch of fires, some of them recorded ahead. */
export interface FiresToDispatch {
  items: RunToDispatch[];
  /** Indices of the fires whose row recorded ahead is used: recorded by this scheduler, so new. */
  usedAhead: Set<number>;
  /**
   * Indices of the fires whose row this scheduler was still recording ahead: their own INSERT
   * finds it, and when it is enqueued here it is as new as if this INSERT had written it.
   */
  inFlightAhead: Set<number>;
}

/**
 * Puts each fire's row recorded ahead to use: as it is when the fire is the plain `queued` fire
 * of the same version it was recorded for; otherwise (an edit changed the definition, an
 * exclusion or a pause turned it into a skip, the overlap policy skips it) the row is deleted
 * first, and the fire is recorded afresh. Deletions in flight are waited for, so that no INSERT
 * here finds a row about to vanish.
 */
export async function useRunsAhead(
  db: Database,
  ahead: RunsAhead | undefined,
  specs: readonly RunSpec[],
): Promise<FiresToDispatch> {
  if (ahead === undefined || ahead.size === 0)
    return { items: [...specs], usedAhead: new Set(), inFlightAhead: new Set() };
  const items: RunToDispatch[] = [];
  const usedAhead = new Set<number>();
  const inFlightAhead = new Set<number>();
  const stale: RunRow[] = [];
  specs.forEach((spec, i) => {
    const entry = ahead.take(spec.schedule.name, spec.scheduledAt.getTime());
    const run = entry?.run;
    if (entry !== undefined && run === undefined) inFlightAhead.add(i);
    if (run !== undefined && spec.status === "queued" && run.scheduleVersion === spec.schedule.version) {
      items.push(run);
      usedAhead.add(i);
      return;
    }
    if (run !== undefined) stale.push(run);
    items.push(spec);
  });
  await ahead.untilDeleted();
  if (stale.length > 0) {
    try {
      await deleteRunsAhead(
        db,
        stale.map((run) => run.id),
      );
    } catch (error) {
      // Held again, or the retry would find the stale row by its INSERT and enqueue it.
      for (const run of stale) ahead.adopt(run);
      throw error;
    }
  }
  return { items, usedAhead, inFlightAhead };
}

/** `recorded` with the rows this scheduler recorded ahead and enqueued here counted as new. */
export function countOwnAheadAsNew(
  recorded: DispatchResult["recorded"],
  enqueued: readonly RunRow[],
  { usedAhead, inFlightAhead }: Pick<FiresToDispatch, "usedAhead" | "inFlightAhead">,
): DispatchResult["recorded"] {
  if (usedAhead.size === 0 && inFlightAhead.size === 0) return recorded;
  const enqueuedIds = new Set(enqueued.map((run) => run.id));
  return recorded.map((entry, i) =>
    usedAhead.has(i) || (inFlightAhead.has(i) && enqueuedIds.has(entry.run.id))
      ? { ...entry, isNew: true }
      : entry,
  );
}
