import { createHash } from "node:crypto";
import {
  RUN_ALL_CAP,
  computeFireTimesBetween,
  type MisfirePolicy,
  type ScheduleTiming,
} from "@hotbeat/shared";

/**
 * The jitter of one fire: a delay in [0, jitterSeconds) derived from a hash of the schedule and
 * the nominal instant, so every scheduler replica (and a restarted one) computes the same delay
 * and the run's identity, its nominal `scheduledAt`, never moves.
 */
export function computeJitterMs(name: string, scheduledAt: Date, jitterSeconds: number): number {
  if (jitterSeconds <= 0) return 0;
  const digest = createHash("sha256").update(`${name}\n${scheduledAt.toISOString()}`).digest();
  return Math.floor((digest.readUInt32BE(0) / 2 ** 32) * jitterSeconds * 1000);
}

export interface DueInput {
  timing: ScheduleTiming;
  /** The nominal instant the timeline woke for. */
  nextAt: Date;
  /** Instants up to and including this one have been dealt with. */
  cursorAt: Date;
  nowMs: number;
  graceMs: number;
  jitterMs: number;
  policy: MisfirePolicy;
}

export interface DuePlan {
  /** Nominal instants to fire now, oldest first. */
  fireAt: Date[];
  /** Instants later than the grace (capped at RUN_ALL_CAP), whatever the policy did with them. */
  missedAt: Date[];
  /** The new cursor once `fireAt` is done. */
  handledThroughAt: Date;
}

/**
 * What to do when the timeline wakes for `nextAt`. The usual case is one fire, on time or late
 * within the grace. When the wake is later than the grace (the scheduler was down, the process
 * stalled, the wall clock jumped, this replica just became leader) every instant since the
 * cursor is sorted: those within the grace still fire; the older ones are misfires and the
 * policy decides (SPEC §3): skip → none, run_once → the latest one, run_all → all of them, at
 * most RUN_ALL_CAP (the latest ones).
 */
export function planDueFires(input: DueInput): DuePlan {
  const { timing, nextAt, cursorAt, nowMs, graceMs } = input;
  if (nowMs - nextAt.getTime() - input.jitterMs <= graceMs) {
    return { fireAt: [nextAt], missedAt: [], handledThroughAt: nextAt };
  }
  const now = new Date(nowMs);
  // "later than the grace" is strict: a fire exactly graceMs late still fires.
  const missedUntil = new Date(Math.max(nowMs - graceMs - 1, cursorAt.getTime()));
  const missedAt = computeFireTimesBetween(timing, cursorAt, missedUntil, RUN_ALL_CAP);
  const onTimeAt = computeFireTimesBetween(timing, missedUntil, now, RUN_ALL_CAP);
  const replayed =
    input.policy === "run_all" ? missedAt : input.policy === "run_once" ? missedAt.slice(-1) : [];
  return { fireAt: [...replayed, ...onTimeAt], missedAt, handledThroughAt: now };
}
