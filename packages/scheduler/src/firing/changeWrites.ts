import type { Logger } from "@hotbeat/shared";
import type { FireCoalescer } from "./fireCoalescer.js";
import type { PendingUnfired } from "../timeline/heldSchedules.js";

/** What the leader writes when a change is applied (see the listeners of HeldSchedules). */
export interface ChangeWrites {
  /** Records a due instant a pause or delete took out of firing as a run that will not run. */
  recordPendingUnfired(pending: PendingUnfired): void;
  /** Stores a schedule's cursor at once (a timing change, a pause, a delete). */
  storeCursor(name: string, at: Date): void;
}

/** {@link ChangeWrites} on the leader only: a follower's instants and cursors are not its to write. */
export function createChangeWrites(deps: {
  coalescer: FireCoalescer;
  log: Logger;
  isFiring: () => boolean;
}): ChangeWrites {
  const { coalescer, log, isFiring } = deps;
  return {
    recordPendingUnfired({ schedule, unfired }) {
      if (!isFiring()) return;
      coalescer
        .recordUnfired(schedule, [unfired])
        .catch((error: unknown) =>
          log.warn({ err: error, schedule: schedule.name }, "could not record a fire that will not run"),
        );
    },
    storeCursor(name, at) {
      if (!isFiring()) return;
      coalescer
        .saveCursor(name, at)
        .catch((error: unknown) => log.warn({ err: error }, "could not store a cursor"));
    },
  };
}
