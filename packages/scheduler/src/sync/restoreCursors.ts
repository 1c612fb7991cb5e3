import { holdParsedCrons, loadCursors, type Database, type Logger } from "@hotbeat/shared";
import { readEarlierTimings, type HistoryChange } from "./earlierTimings.js";
import type { HeldSchedule } from "../timeline/heldSchedule.js";
import { changeFloorMsOf, type HeldSchedules } from "../timeline/heldSchedules.js";
import { loadHistoryAfter, loadLastEnabledAt } from "./historySource.js";
import { TurnSlicer } from "./turnSlicer.js";

/**
 * On becoming leader every schedule restarts from its stored cursor, so what the previous leader
 * (or this process, before a restart) left unfired goes through the misfire policy.
 *
 * A schedule edited since its cursor (an edit made while no scheduler was leading: a leader's
 * death, a stall past its lease, a lost lease, every scheduler down) owes each instant since the
 * cursor under the timing in force at that instant: the history of the changes made after the
 * cursor says which (see readEarlierTimings), so an edit never hands the old timing's due
 * instants to the new one, nor makes the new one fire instants from before the edit. The policy
 * and what runs are the current definition's, as for any late fire. When the history cannot
 * tell (pruned rows), the current timing is judged from the cursor, erring on the side of the
 * policy rather than silence, except that a schedule enabled after its cursor owes nothing
 * before that change. While a leader is up it stores the cursor at every timing change it
 * applies, so this replay only covers the edits no leader saw. Without a stored cursor (never
 * fired) a schedule starts at its last change, as on a live apply. Returns the stored cursors of
 * the schedules it does not hold (paused or deleted), for replayRetiredSchedules.
 */
export async function restoreCursors(
  db: Database,
  held: HeldSchedules,
  log: Logger,
): Promise<Array<{ name: string; cursorAt: Date }>> {
  // Every pass below is cut into turns of the event loop (a million schedules take a while);
  // firing waits for the end (the leader is not ready before).
  const turns = new TurnSlicer();
  const storedMs = new Map<string, number>();
  for (const [name, at] of await loadCursors(db)) {
    if (turns.isOver) await turns.next();
    if (Number.isFinite(at.getTime())) storedMs.set(name, at.getTime());
    else log.warn({ schedule: name }, "stored cursor is not a finite instant; ignored");
  }
  const entries: HeldSchedule[] = [];
  const edited: HeldSchedule[] = [];
  for (const entry of held.entries()) {
    if (turns.isOver) await turns.next();
    if (entry.isBusy) continue;
    entries.push(entry);
    if ((storedMs.get(entry.name) ?? Infinity) < changeFloorMsOf(entry)) edited.push(entry);
  }
  const history =
    edited.length > 0
      ? await loadHistoryAfter(
          db,
          edited.map(({ name }) => ({ name, afterAt: new Date(storedMs.get(name)!) })),
        )
      : new Map<string, HistoryChange[]>();
  const replayed = new Map<string, ReturnType<typeof readEarlierTimings>>();
  for (const entry of edited) {
    if (turns.isOver) await turns.next();
    replayed.set(entry.name, readEarlierTimings(history.get(entry.name) ?? [], entry.version));
  }
  const unreplayed = [...replayed].filter(([, earlier]) => earlier === undefined).map(([name]) => name);
  const enabledAt =
    unreplayed.length > 0 ? await loadLastEnabledAt(db, unreplayed) : new Map<string, number>();
  // Each schedule placed again computes its next fire: its expression parsed once for all.
  const releaseParsed = holdParsedCrons();
  try {
    for (const entry of entries) {
      if (turns.isOver) await turns.next();
      // An entry a message replaced meanwhile is left to the definition that replaced it.
      if (!held.isCurrent(entry)) continue;
      const name = entry.name;
      const cursorMs = storedMs.get(name);
      const earlier = replayed.get(name);
      if (earlier !== undefined) {
        held.restore(entry, new Date(cursorMs!), earlier);
        continue;
      }
      const floorMs =
        cursorMs === undefined
          ? changeFloorMsOf(entry)
          : Math.max(cursorMs, (enabledAt.get(name) ?? -Infinity) - 1);
      // Already placed from this very cursor (every schedule of a fresh load that has no stored
      // cursor): recomputing its next fire would cost seconds of CPU at 100k.
      if (entry.cursorAtMs === floorMs && entry.earlier === undefined) continue;
      held.restore(entry, new Date(floorMs), undefined);
    }
  } finally {
    releaseParsed();
  }
  const retired: Array<{ name: string; cursorAt: Date }> = [];
  for (const [name, ms] of storedMs) {
    if (turns.isOver) await turns.next();
    if (!held.get(name) && !held.invalid.has(name)) retired.push({ name, cursorAt: new Date(ms) });
  }
  return retired;
}
