import type { Database, Logger } from "@hotbeat/shared";
import type { Clock } from "../timeline/clock.js";
import type { HeldSchedules } from "../timeline/heldSchedules.js";
import type { AheadRecorder } from "../firing/recordFiresAhead.js";
import type { FireCoalescer } from "../firing/fireCoalescer.js";
import { replayRetiredSchedules } from "../sync/replayRetired.js";
import { restoreCursors } from "../sync/restoreCursors.js";

/** How long to wait before trying again when PostgreSQL failed. */
const RETRY_MS = 1000;

/**
 * What a replica does on becoming leader, before it fires: every held schedule back at its
 * stored cursor (restoreCursors), then the runs a predecessor recorded ahead held again or
 * deleted when no longer owed (recordFiresAhead), before any fire or sweep could meet them.
 * Retries until done or the lead is lost. `onReady` gets the replay of the schedules paused or
 * deleted while no one led (replayRetiredSchedules), which starts with it.
 */
export async function takeOverLead(deps: {
  db: Database;
  held: HeldSchedules;
  recorder: AheadRecorder;
  coalescer: FireCoalescer;
  log: Logger;
  clock: Clock;
  isStillLeading: () => boolean;
  onReady: (replaying: Promise<void>) => void;
}): Promise<void> {
  const { db, held, log } = deps;
  while (deps.isStillLeading()) {
    try {
      const retired = await restoreCursors(db, held, log);
      await deps.recorder.adoptStored();
      const replaying = replayRetiredSchedules(
        { db, coalescer: deps.coalescer, log },
        retired,
        deps.clock.now(),
      );
      deps.onReady(
        replaying.then(
          () => undefined,
          (error: unknown) => log.warn({ err: error }, "could not replay paused or deleted schedules"),
        ),
      );
      return;
    } catch (error) {
      log.warn({ err: error }, "could not load cursors; retrying");
      await new Promise<void>((resolve) => deps.clock.setTimeout(resolve, RETRY_MS));
    }
  }
}
