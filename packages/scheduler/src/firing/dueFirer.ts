import { executePlan } from "./executePlan.js";
import type { FireCoalescer } from "./fireCoalescer.js";
import type { FireDeps } from "./fireInstants.js";
import type { DuePlan } from "./planDueFires.js";
import type { HeldSchedules } from "../timeline/heldSchedules.js";

export interface DueFirer {
  /** Takes every schedule due by now off the timeline and fires it (or, off duty, moves it on). */
  fireDue(): void;
  /** Resolves once every plan in flight has settled. */
  settled(): Promise<void>;
}

/**
 * What a wake does: each schedule due by now leaves the timeline and, on the leader, gets its
 * plan (planDueFires) carried out (executePlan), which puts it back at its next instant. A
 * follower keeps pace without firing. One bad timing costs only its schedule.
 */
export function createDueFirer(
  deps: Pick<FireDeps, "log" | "clock" | "metrics" | "events"> & {
    held: HeldSchedules;
    coalescer: FireCoalescer;
    /** True while this replica leads with its cursors restored, and is not stopping. */
    isFiring: () => boolean;
    /** True while this replica holds the lease but has not restored its cursors yet. */
    isTakingOver: () => boolean;
    /** Re-arms the wake timer after the timeline changed. */
    rearm: () => void;
  },
): DueFirer {
  const { clock, held, isFiring, isTakingOver, rearm } = deps;
  const inFlight = new Set<Promise<void>>();

  function fireDue(): void {
    // Keeping pace now would move a schedule past the instants its restored cursor owes, and
    // they would be neither fired nor recorded missed. The takeover wakes this once it is done.
    if (isTakingOver()) return;
    const nowMs = clock.now();
    for (let top = held.timeline.peek(); top && top.dueAtMs <= nowMs; top = held.timeline.peek()) {
      const entry = top.entry;
      held.timeline.remove(entry);
      if (!isFiring()) {
        // A follower keeps pace without firing; on taking over it restarts from the stored cursors.
        held.advance(entry, new Date(nowMs));
        continue;
      }
      let plan: DuePlan;
      try {
        plan = held.planDue(entry, nowMs);
      } catch (error) {
        const reason = error instanceof Error ? error.message : "unknown error";
        held.markInvalid(entry.name, `its fires cannot be computed: ${reason}`);
        continue;
      }
      const run = executePlan(deps, entry, plan).finally(() => {
        inFlight.delete(run);
        rearm();
      });
      inFlight.add(run);
    }
    rearm();
  }

  return {
    fireDue,
    settled: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}
