import {
  deleteRunsAhead,
  findRunsAhead,
  recordRuns,
  type Database,
  type FireToRecord,
  type Logger,
} from "@hotbeat/shared";
import type { Clock } from "../timeline/clock.js";
import type { HeldSchedule, HeldSchedules } from "../timeline/heldSchedules.js";
import type { RunAhead, RunsAhead } from "./runsAhead.js";

/** How far ahead of their instants fires are recorded. */
export const RECORD_AHEAD_MS = 2000;
/**
 * When the leader looks for the next fires to record ahead: every half second, a quarter second
 * past the half (`phaseMs`), away from the whole seconds most instants fall on (a cron's
 * resolution is the second), so that the INSERT ahead never competes with an instant's enqueues
 * and claims for PostgreSQL and the event loop.
 */
export const RECORD_AHEAD_LOOP = { everyMs: 500, phaseMs: 250 } as const;
/** A fire due sooner than this is left to the wake: its INSERT might not land first. */
const MIN_AHEAD_MS = 200;

export interface AheadRecorder {
  /** Deletes what is no longer owed, then records the fires due within RECORD_AHEAD_MS. */
  round(): Promise<void>;
  /** On taking over: holds the rows a predecessor recorded ahead and deletes those not owed. */
  adoptStored(): Promise<void>;
}

/**
 * Records the leader's next fires (the next RECORD_AHEAD_MS) as `queued` runs before their
 * instants, so that at the instant only the enqueue remains (fireInstants uses the row). The
 * unique key on (schedule, instant) still decides: a row already there (a hand skip, a
 * predecessor's) is never replaced. An instant the schedule stops owing before it comes (an
 * edit, a pause, a delete) has its row deleted here; one it owes otherwise (another version, an
 * exclusion) is dealt with by its fire, which uses the row only when nothing changed.
 * Only plain fires are recorded ahead: no overlap policy `skip` (it decides at the instant), no
 * misfire to settle first.
 */
export function createAheadRecorder(deps: {
  db: Database;
  held: HeldSchedules;
  ahead: RunsAhead;
  clock: Clock;
  log: Logger;
  isFiring: () => boolean;
}): AheadRecorder {
  const { db, held, ahead, clock, log } = deps;

  /** False once the held schedule will never fire this instant (its cursor is past it, or it is gone). */
  function isStillOwed(entry: RunAhead): boolean {
    const current = held.get(entry.name);
    if (!current) return false;
    // A plan in flight decides: its fire takes the entry, or a later round looks again.
    if (current.isBusy) return true;
    return current.nextAt !== null && current.nextAt.getTime() <= entry.atMs;
  }

  async function reconcile(): Promise<void> {
    const obsolete = ahead.recorded().filter((entry) => !isStillOwed(entry));
    if (obsolete.length === 0) return;
    for (const entry of obsolete) ahead.take(entry.name, entry.atMs);
    try {
      const deleted = await ahead.track(
        deleteRunsAhead(
          db,
          obsolete.map((entry) => entry.run!.id),
        ),
      );
      log.info(
        { count: deleted.length, schedules: obsolete.slice(0, 20).map((entry) => entry.name) },
        "runs recorded ahead deleted: their schedules no longer owe them",
      );
    } catch (error) {
      // Left in place they never run: the sweeper leaves such rows alone, and the next leader judges them.
      log.warn({ err: error }, "could not delete runs recorded ahead that are no longer owed");
    }
  }

  /** The instant `entry` would fire at `dueAtMs` if nothing changes, when it can be recorded ahead. */
  function findInstantAhead(entry: HeldSchedule, dueAtMs: number): Date | null {
    if (!held.isCurrent(entry) || entry.isBusy || entry.nextAt === null) return null;
    if (entry.schedule.overlapPolicy === "skip") return null;
    try {
      const plan = held.planDue(entry, dueAtMs);
      const isPlain = plan.fireAt.length === 1 && plan.missedAt.length === 0 && plan.unfired.length === 0;
      return isPlain && plan.fireAt[0]!.getTime() === entry.nextAt.getTime() ? entry.nextAt : null;
    } catch {
      // Its wake reports the bad timing; nothing to record ahead.
      return null;
    }
  }

  /** The held schedules due in (fromMs, untilMs], read off the heap without moving them. */
  function pickDue(fromMs: number, untilMs: number): Array<{ entry: HeldSchedule; dueAtMs: number }> {
    const popped: Array<{ entry: HeldSchedule; dueAtMs: number }> = [];
    for (let top = held.timeline.peek(); top && top.dueAtMs <= untilMs; top = held.timeline.peek())
      popped.push(held.timeline.pop()!);
    for (const slot of popped) held.timeline.upsert(slot.entry, slot.dueAtMs);
    return popped.filter((slot) => slot.dueAtMs > fromMs);
  }

  async function recordAhead(): Promise<void> {
    const nowMs = clock.now();
    const fires: FireToRecord[] = [];
    for (const { entry, dueAtMs } of pickDue(nowMs + MIN_AHEAD_MS, nowMs + RECORD_AHEAD_MS)) {
      const at = findInstantAhead(entry, dueAtMs);
      if (at === null || !ahead.reserve(entry.name, at.getTime())) continue;
      fires.push({ schedule: entry.schedule, scheduledAt: at, status: "queued" });
    }
    if (fires.length === 0) return;
    let recorded: Awaited<ReturnType<typeof recordRuns>>;
    try {
      recorded = await recordRuns(db, fires);
    } catch (error) {
      // Whatever was written is found by its fire's own INSERT (the unique key), as after a crash.
      for (const fire of fires) ahead.take(fire.schedule.name, fire.scheduledAt.getTime());
      throw error;
    }
    recorded.forEach(({ run, isNew }, i) => {
      const { schedule, scheduledAt } = fires[i]!;
      const isUsable =
        isNew ||
        (run.status === "queued" && run.enqueuedAt === null && run.scheduleVersion === schedule.version);
      // Settling fails when the fire came first and took the entry: its INSERT found this row.
      if (isUsable) ahead.settle(schedule.name, scheduledAt.getTime(), run);
      // Not ours to use (a hand skip, another version, a run already enqueued): its fire decides.
      else ahead.take(schedule.name, scheduledAt.getTime());
    });
  }

  return {
    async round() {
      if (!deps.isFiring()) {
        ahead.clear();
        return;
      }
      await reconcile();
      await recordAhead();
      // A change applied while the INSERT was in flight found no row to delete yet.
      await reconcile();
    },
    async adoptStored() {
      ahead.clear();
      for (const run of await findRunsAhead(db)) ahead.adopt(run);
      await reconcile();
    },
  };
}
