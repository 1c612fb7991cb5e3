import { loadCursors, type Database, type Logger } from "@hotbeat/shared";
import { changeFloorMs, type HeldSchedules } from "../timeline/heldSchedules.js";
import { loadLastEnabledAt } from "./scheduleSource.js";

/**
 * On becoming leader every schedule restarts from its stored cursor, so what the previous leader
 * (or this process, before a restart) left unfired goes through the misfire policy.
 *
 * A schedule edited since its cursor keeps that cursor: its instants between the cursor and now
 * are judged by the misfire policy, as if the current definition had been in force all along.
 * The exact rule would replay the old definitions from `schedule_history.old_value`; this one
 * needs no history walk, is exact for edits that leave the timing alone (the common case), and
 * for a timing edit errs on the side of the policy (a `missed` row, one run_once fire) rather
 * than silence. While a leader is up it stores the cursor at every timing change it applies, so
 * this only judges edits made while no scheduler was leading. The one exception is a schedule
 * enabled after its cursor: a paused schedule owes nothing, so it starts at that change.
 * Without a stored cursor (never fired) it starts at its last change, as on a live apply.
 */
export async function restoreCursors(db: Database, held: HeldSchedules, log: Logger): Promise<void> {
  const storedMs = new Map<string, number>();
  for (const [name, at] of await loadCursors(db)) {
    if (Number.isFinite(at.getTime())) storedMs.set(name, at.getTime());
    else log.warn({ schedule: name }, "stored cursor is not a finite instant; ignored");
  }
  const entries = held.entries().filter((entry) => !entry.isBusy);
  const edited = entries
    .filter((entry) => (storedMs.get(entry.schedule.name) ?? Infinity) < changeFloorMs(entry.schedule))
    .map((entry) => entry.schedule.name);
  const enabledAt = edited.length > 0 ? await loadLastEnabledAt(db, edited) : new Map<string, number>();
  for (const entry of entries) {
    const name = entry.schedule.name;
    const cursorMs = storedMs.get(name);
    const floorMs =
      cursorMs === undefined
        ? changeFloorMs(entry.schedule)
        : Math.max(cursorMs, (enabledAt.get(name) ?? -Infinity) - 1);
    // Already placed from this very cursor (every schedule of a fresh load that has no stored
    // cursor): recomputing its next fire would cost seconds of CPU at 100k.
    if (entry.cursorAt.getTime() === floorMs) continue;
    held.advance(entry, new Date(floorMs));
  }
}
