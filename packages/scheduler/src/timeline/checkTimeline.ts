import type { Database, Logger } from "@hotbeat/shared";
import { createRunRowCheck } from "./checkRunRows.js";
import { TurnSlicer } from "../sync/turnSlicer.js";
import type { FireCoalescer } from "../firing/fireCoalescer.js";
import type { HeldSchedules } from "./heldSchedules.js";
import type { SchedulerMetrics, SelfCheckReason } from "../schedulerMetrics.js";
import type { SchedulerEventEmitter } from "../schedulerEvents.js";

/** How much later than its grace a due entry may still sit in the timeline before it is repaired. */
const STUCK_SLACK_MS = 60_000;

/**
 * The leader's self-check: every held schedule that is not busy and has a next fire must be in
 * the timeline, and no entry may sit there due for longer than its grace (the wake should have
 * taken it). Each discrepancy is logged and repaired by re-placing the schedule from its cursor,
 * so what it owes goes through the misfire policy. Returns the name and reason of each repair.
 */
export async function checkTimeline(
  held: HeldSchedules,
  nowMs: number,
  log: Logger,
): Promise<Array<{ name: string; reason: SelfCheckReason }>> {
  const repaired: Array<{ name: string; reason: SelfCheckReason }> = [];
  // In turns: at a million schedules one pass holds the event loop for a good part of a second.
  const turns = new TurnSlicer();
  for (const entry of held.entries()) {
    if (turns.isOver) await turns.next();
    // Read without building the row or a Date: this looks at every held schedule each poll.
    if (entry.isBusy || entry.nextAtMs === null) continue;
    const name = entry.name;
    const placedAtMs = held.timeline.dueAtOf(entry);
    const graceMs = entry.misfireGraceSeconds * 1000;
    const isMissing = placedAtMs === undefined;
    const isStuck = placedAtMs !== undefined && placedAtMs < nowMs - graceMs - STUCK_SLACK_MS;
    // Replaced by a newer definition during an earlier turn: that one is placed on its own.
    if ((!isMissing && !isStuck) || !held.isCurrent(entry)) continue;
    log.warn(
      { schedule: name, isMissing, isStuck },
      "self-check: schedule not in its timeline slot; re-placed",
    );
    held.advance(entry, entry.cursorAt);
    repaired.push({ name, reason: isMissing ? "missing_from_timeline" : "stuck_in_timeline" });
  }
  return repaired;
}

/**
 * The leader's whole self-check, run after every poll: the timeline (above), then one page of
 * the run rows (see createRunRowCheck). Each repair is counted by reason in
 * `hotbeat_selfcheck_repairs_total` and emitted as `repaired`; `selfChecked` ends the round.
 */
export function createSelfCheck(deps: {
  db: Database;
  held: HeldSchedules;
  coalescer: FireCoalescer;
  log: Logger;
  metrics: SchedulerMetrics;
  events: SchedulerEventEmitter;
  /** Re-arms the wake timer after the timeline changed. */
  rearm: () => void;
  pageSize?: number;
}): (nowMs: number) => Promise<void> {
  const { held, log, metrics, events } = deps;
  const checkRunRows = createRunRowCheck(deps);
  return async (nowMs) => {
    const replaced = await checkTimeline(held, nowMs, log);
    deps.rearm();
    const recorded = await checkRunRows(nowMs);
    const repairs = [
      ...replaced,
      ...recorded.map(({ name, at }) => ({ name, reason: "instant_without_run" as const, at })),
    ];
    for (const repair of repairs) {
      metrics.selfcheckRepairs[repair.reason] += 1;
      events.emit("repaired", repair);
    }
    events.emit("selfChecked", { repaired: repairs.length });
  };
}
