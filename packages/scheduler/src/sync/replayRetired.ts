import type { Database, Logger } from "@hotbeat/shared";
import { readEarlierTimings, readSnapshotSchedule, type HistoryChange } from "./earlierTimings.js";
import type { FireCoalescer } from "../firing/fireCoalescer.js";
import { planBacklog } from "../firing/planDueFires.js";
import { loadHistoryAfter } from "./scheduleSource.js";

/** The newest snapshot among `changes` in which the schedule was enabled, as a row. */
function findLastEnabled(changes: readonly HistoryChange[]) {
  for (const change of [...changes].reverse()) {
    const row = readSnapshotSchedule(change.newValue) ?? readSnapshotSchedule(change.oldValue);
    if (row) return row;
  }
  return null;
}

/**
 * On becoming leader, after restoreCursors: a schedule paused or deleted while no scheduler was
 * leading is no longer held, yet what came due between its stored cursor and the pause was owed
 * under the definition in force then. The history of the changes after the cursor says which
 * instants; they go through that definition's misfire policy like any other late fires, and the
 * cursor moves to now so the next leader does not look again. When the history cannot tell
 * (pruned rows), nothing is replayed. Returns how many instants it recorded.
 */
export async function replayRetiredSchedules(
  deps: { db: Database; coalescer: FireCoalescer; log: Logger },
  retired: ReadonlyArray<{ name: string; cursorAt: Date }>,
  nowMs: number,
): Promise<number> {
  if (retired.length === 0) return 0;
  const { coalescer, log } = deps;
  const history = await loadHistoryAfter(
    deps.db,
    retired.map(({ name, cursorAt }) => ({ name, afterAt: cursorAt })),
  );
  let recorded = 0;
  for (const { name, cursorAt } of retired) {
    const changes = history.get(name);
    if (!changes || changes.length === 0) continue;
    const earlier = readEarlierTimings(changes, changes.at(-1)!.version);
    const row = findLastEnabled(changes);
    if (!earlier || !row) continue;
    const plan = planBacklog({
      timing: null,
      earlier,
      cursorAt,
      nowMs,
      graceMs: row.misfireGraceSeconds * 1000,
      policy: row.misfirePolicy,
    });
    if (plan.fireAt.length > 0 || plan.unfired.length > 0) {
      log.warn(
        { schedule: name, firing: plan.fireAt.length, notRunning: plan.unfired.length },
        "paused or deleted while no scheduler was leading: recording what came due before",
      );
      if (plan.unfired.length > 0) await coalescer.recordUnfired(row, plan.unfired);
      for (const at of plan.fireAt) await coalescer.fire(row, at);
      recorded += plan.fireAt.length + plan.unfired.length;
    }
    await coalescer.saveCursor(name, plan.cursorAt);
  }
  return recorded;
}
