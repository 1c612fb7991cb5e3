import { createHash } from "node:crypto";
import {
  RUN_ALL_CAP,
  describeExclusion,
  findExclusionAt,
  type ExclusionMatcher,
  type MisfirePolicy,
  type ScheduleTiming,
} from "@hotbeat/shared";
import { computeOwedFireTimesBetween, type EarlierTiming } from "../timeline/owedFireTimes.js";

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
  /** Timings in force before `timing` whose instants are still owed (see EarlierTiming). */
  earlier?: readonly EarlierTiming[];
  /** The nominal instant the timeline woke for. */
  nextAt: Date;
  /** Instants up to and including this one have been dealt with. */
  cursorAt: Date;
  nowMs: number;
  graceMs: number;
  jitterMs: number;
  policy: MisfirePolicy;
  /** The schedule's excluded dates (its own and its calendars'); none when absent. */
  exclusions?: readonly ExclusionMatcher[];
}

/**
 * How many instants that will not run one wake records as `missed` runs, at most. A stall of a
 * week under a 1-second schedule owes 604,800 rows; past this bound the rest are only logged and
 * counted (`isTruncated`), so one wake never writes without limit.
 */
export const MISSED_RECORD_CAP = 10_000;

/**
 * An instant that will not run, and why: `missed` when the misfire policy or a cap passed it
 * over, `skipped` when its date is excluded. Recorded as a run with that status.
 */
export interface UnfiredInstant {
  at: Date;
  reason: string;
  status: "missed" | "skipped";
}

export interface DuePlan {
  /** Nominal instants to fire now, oldest first. */
  fireAt: Date[];
  /**
   * Instants later than the grace (the latest MISSED_RECORD_CAP), whatever the policy did with
   * them; excluded ones are not misfires and are not among them.
   */
  missedAt: Date[];
  /** Every instant of this wake that will not run (policy, cap or exclusion), with its reason. */
  unfired: UnfiredInstant[];
  /** True when more instants were owed than MISSED_RECORD_CAP: the older ones are not recorded. */
  isTruncated: boolean;
  /** The cursor once `fireAt` is done: every instant up to it is dealt with. */
  cursorAt: Date;
}

const POLICY_REASONS: Record<MisfirePolicy, string> = {
  skip: "misfire policy skip",
  run_once: "misfire policy run_once ran the latest",
  run_all: `misfire policy run_all replays at most ${RUN_ALL_CAP}`,
};

/**
 * Takes the excluded instants out of `instants`: an instant on an excluded date of the schedule's
 * zone is never a fire, so it is neither run nor a misfire, and the policy never picks it.
 */
function splitExcluded(
  instants: Date[],
  timezone: string,
  exclusions: readonly ExclusionMatcher[],
): { fireable: Date[]; excluded: UnfiredInstant[] } {
  if (exclusions.length === 0) return { fireable: instants, excluded: [] };
  const fireable: Date[] = [];
  const excluded: UnfiredInstant[] = [];
  for (const at of instants) {
    const exclusion = findExclusionAt(at, timezone, exclusions);
    if (exclusion === null) fireable.push(at);
    else excluded.push({ at, reason: describeExclusion(exclusion), status: "skipped" });
  }
  return { fireable, excluded };
}

/**
 * What to do when the timeline wakes for `nextAt`. The usual case is one fire, on time or late
 * within the grace. When the wake is later than the grace (the scheduler was down, the process
 * stalled, the wall clock jumped, this replica just became leader) every instant since the
 * cursor is sorted: those within the grace still fire, at most RUN_ALL_CAP (the latest ones); the
 * older ones are misfires and the policy decides (README, "Guarantees"): skip → none, run_once → the latest
 * one, run_all → all of them, at most RUN_ALL_CAP (the latest ones). An instant on an excluded
 * date is taken out first: it is recorded as skipped with the date, and never fires. Every
 * instant that does not run is returned in `unfired` with its reason, to be recorded: none is
 * dropped unseen. Each instant comes from the timing in force at it (`earlier`, then `timing`).
 */
export function planDueFires(input: DueInput): DuePlan {
  const { timing, nextAt, nowMs, graceMs } = input;
  const exclusions = input.exclusions ?? [];
  if (nowMs - nextAt.getTime() - input.jitterMs <= graceMs) {
    const { fireable, excluded } = splitExcluded([nextAt], timing.timezone, exclusions);
    return {
      fireAt: fireable,
      missedAt: [],
      unfired: excluded,
      isTruncated: false,
      cursorAt: nextAt,
    };
  }
  return planBacklog(input);
}

/**
 * Every owed instant from the cursor to now at once, sorted as {@link planDueFires} does after a
 * wake later than the grace. `timing: null` owes nothing after its earlier timings (a schedule
 * paused or deleted since).
 */
export function planBacklog(
  input: Omit<DueInput, "timing" | "nextAt" | "jitterMs"> & { timing: ScheduleTiming | null },
): DuePlan {
  const { timing, cursorAt, nowMs, graceMs } = input;
  const now = new Date(nowMs);
  // "later than the grace" is strict: a fire exactly graceMs late still fires.
  const missedUntil = new Date(Math.max(nowMs - graceMs - 1, cursorAt.getTime()));
  const earlier = input.earlier ?? [];
  const exclusions = input.exclusions ?? [];
  // Exclusion dates are read in the zone of the timing in force; a retired schedule keeps its last.
  const zone = timing?.timezone ?? earlier.at(-1)?.timing?.timezone ?? "UTC";
  const lateAt = computeOwedFireTimesBetween(timing, earlier, cursorAt, missedUntil, MISSED_RECORD_CAP);
  const withinGraceAt = computeOwedFireTimesBetween(timing, earlier, missedUntil, now, MISSED_RECORD_CAP);
  const late = splitExcluded(lateAt, zone, exclusions);
  const due = splitExcluded(withinGraceAt, zone, exclusions);
  const missedAt = late.fireable;
  const dueAt = due.fireable;
  const replayedCount =
    input.policy === "run_all" ? Math.min(RUN_ALL_CAP, missedAt.length) : input.policy === "run_once" ? 1 : 0;
  const replayed = replayedCount > 0 ? missedAt.slice(-replayedCount) : [];
  const lateBy = (at: Date) => `missed: ${Math.round((nowMs - at.getTime()) / 1000)} s late`;
  const unfired: UnfiredInstant[] = [
    ...late.excluded,
    ...missedAt.slice(0, missedAt.length - replayed.length).map((at) => ({
      at,
      reason: `${lateBy(at)}, ${POLICY_REASONS[input.policy]}`,
      status: "missed" as const,
    })),
    ...due.excluded,
    ...dueAt.slice(0, Math.max(0, dueAt.length - RUN_ALL_CAP)).map((at) => ({
      at,
      reason: `${lateBy(at)}, more than ${RUN_ALL_CAP} fires were due at once and the latest ${RUN_ALL_CAP} ran`,
      status: "missed" as const,
    })),
  ];
  return {
    fireAt: [...replayed, ...dueAt.slice(-RUN_ALL_CAP)],
    missedAt,
    unfired,
    isTruncated: lateAt.length === MISSED_RECORD_CAP || withinGraceAt.length === MISSED_RECORD_CAP,
    cursorAt: now,
  };
}
