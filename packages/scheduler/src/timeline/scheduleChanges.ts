import type { Schedule } from "@hotbeat/shared";
import type { UnfiredInstant } from "../firing/planDueFires.js";
import type { HeldSchedule } from "./heldSchedule.js";

/** A due instant of a schedule taken out of firing before it fired, to record as not run. */
export interface PendingUnfired {
  schedule: Schedule;
  unfired: UnfiredInstant;
}

/**
 * The instant of `entry` that was due by `nowMs` but has not fired: its nominal time passed and
 * its jittered fire is still to come in the timeline. A pause or delete takes it out of firing,
 * and the cursor stored then moves past it, so without a row it would vanish. A fire in flight
 * is not pending: its plan records it.
 */
export function findPendingUnfired(
  entry: HeldSchedule,
  isPaused: boolean,
  nowMs: number,
): PendingUnfired | undefined {
  if (entry.isBusy || entry.nextAtMs === null || entry.nextAtMs > nowMs) return undefined;
  const change = isPaused ? "paused" : "deleted";
  const fire = entry.jitterSeconds > 0 ? "its jittered fire" : "its fire";
  return {
    schedule: entry.schedule,
    unfired: { at: new Date(entry.nextAtMs), status: "skipped", reason: `${change} before ${fire}` },
  };
}

const isSameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * True when the held definition `a` and the row `b` fire at the same instants: only these
 * fields may move a cursor (`b` is enabled, or it would not be held).
 */
export function hasSameTiming(held: HeldSchedule, b: Schedule): boolean {
  const a = held.definition;
  return (
    a.cron === b.cron &&
    a.intervalSeconds === b.intervalSeconds &&
    isSameInstant(a.runAt, b.runAt) &&
    a.timezone === b.timezone &&
    isSameInstant(a.startAt, b.startAt) &&
    isSameInstant(a.endAt, b.endAt) &&
    isSameInstant(a.intervalAnchorAt, b.intervalAnchorAt) &&
    b.enabled
  );
}

/**
 * The instant after which a definition's fires belong to it: just before its last change, so a
 * fire at the change instant itself counts (an interval fires at its anchor, k >= 0, and the
 * anchor of a changed interval is the change's own timestamp).
 */
export function changeFloorMs(row: Pick<Schedule, "updatedAt">): number {
  return row.updatedAt.getTime() - 1;
}

/** {@link changeFloorMs} of a held definition. */
export function changeFloorMsOf(entry: HeldSchedule): number {
  return entry.updatedAtMs - 1;
}
