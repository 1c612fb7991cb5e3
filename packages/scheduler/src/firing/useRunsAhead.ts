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
  if (ahead === undefined || ahead.size === 0) return { items: [...specs], usedAhead: new Set() };
  const items: RunToDispatch[] = [];
  const usedAhead = new Set<number>();
  const stale: RunRow[] = [];
  specs.forEach((spec, i) => {
    const run = ahead.take(spec.schedule.name, spec.scheduledAt.getTime())?.run;
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
  return { items, usedAhead };
}

/** `recorded` with the rows recorded ahead counted as new: this scheduler recorded them. */
export function countUsedAheadAsNew(
  recorded: DispatchResult["recorded"],
  usedAhead: ReadonlySet<number>,
): DispatchResult["recorded"] {
  if (usedAhead.size === 0) return recorded;
  return recorded.map((entry, i) => (usedAhead.has(i) ? { ...entry, isNew: true } : entry));
}
