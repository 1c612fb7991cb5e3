import type { Logger } from "@hotbeat/shared";
import type { HeldSchedules } from "./heldSchedules.js";

/** How much later than its grace a due entry may still sit in the timeline before it is repaired. */
const STUCK_SLACK_MS = 60_000;

/**
 * The leader's self-check: every held schedule that is not busy and has a next fire must be in
 * the timeline, and no entry may sit there due for longer than its grace (the wake should have
 * taken it). Each discrepancy is logged and repaired by re-placing the schedule from its cursor,
 * so what it owes goes through the misfire policy. Returns how many it repaired.
 */
export function checkTimeline(held: HeldSchedules, nowMs: number, log: Logger): number {
  let repaired = 0;
  for (const entry of held.entries()) {
    if (entry.isBusy || entry.nextAt === null) continue;
    const name = entry.schedule.name;
    const placed = held.timeline.get(name);
    const graceMs = entry.schedule.misfireGraceSeconds * 1000;
    const isMissing = placed === undefined;
    const isStuck = placed !== undefined && placed.dueAtMs < nowMs - graceMs - STUCK_SLACK_MS;
    if (!isMissing && !isStuck) continue;
    log.warn(
      { schedule: name, isMissing, isStuck },
      "self-check: schedule not in its timeline slot; re-placed",
    );
    held.advance(entry, entry.cursorAt);
    repaired += 1;
  }
  return repaired;
}
