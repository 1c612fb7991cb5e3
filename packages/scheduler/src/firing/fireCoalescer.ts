import { saveCursors } from "@hotbeat/shared";
import { createBatcher } from "./batcher.js";
import { fireInstants, type Fire, type FireDeps } from "./fireInstants.js";
import type { UnfiredInstant } from "./planDueFires.js";

/**
 * The scheduler's writes to the ledger, coalesced: fires (and cursors) asked for in the same
 * wake are written in a handful of statements whatever their number, instead of a few round
 * trips each. Callers keep awaiting one fire at a time, in order, per schedule.
 */
export interface FireCoalescer {
  fire(schedule: Fire["schedule"], scheduledAt: Date): Promise<void>;
  /** Records instants that will not run as `missed` or `skipped` runs, with their reasons, in a few statements. */
  recordUnfired(schedule: Fire["schedule"], unfired: readonly UnfiredInstant[]): Promise<void>;
  /** Stores a schedule's cursor (it only moves forward). */
  saveCursor(name: string, cursorAt: Date): Promise<void>;
}

export function createFireCoalescer(deps: FireDeps): FireCoalescer {
  const fire = createBatcher<Fire>((fires) => fireInstants(deps, fires));
  const saveCursor = createBatcher<{ name: string; cursorAt: Date }>((cursors) =>
    saveCursors(deps.db, cursors),
  );
  return {
    fire: (schedule, scheduledAt) => fire({ schedule, scheduledAt }),
    recordUnfired: (schedule, unfired) =>
      fireInstants(
        deps,
        unfired.map(({ at, reason, status }) => ({ schedule, scheduledAt: at, unfired: { status, reason } })),
      ),
    saveCursor: (name, cursorAt) => saveCursor({ name, cursorAt }),
  };
}
