import type { FireCoalescer } from "./fireCoalescer.js";
import type { FireDeps } from "./fireInstants.js";
import type { DuePlan } from "./planDueFires.js";
import type { HeldSchedule, HeldSchedules } from "../timeline/heldSchedules.js";

/** How long a schedule waits before its fires are tried again after PostgreSQL or Redis failed. */
export const FIRE_RETRY_MS = 1000;

/**
 * Carries out one schedule's due plan: logs the misfires, fires each instant in order, stores
 * the cursor, and puts the schedule back in the timeline at its next instant. The schedule is
 * out of the timeline meanwhile (busy), so it never has two plans in flight. Emits `handled`,
 * or `failed` when it is to be tried again.
 */
export async function executePlan(
  deps: Pick<FireDeps, "log" | "clock" | "metrics" | "events"> & {
    held: HeldSchedules;
    coalescer: FireCoalescer;
  },
  entry: HeldSchedule,
  plan: DuePlan,
): Promise<void> {
  const { log, clock, metrics, events, held, coalescer } = deps;
  const name = entry.name;
  entry.isBusy = true;
  let retryAtMs: number | undefined;
  try {
    if (plan.missedAt.length > 0 || plan.unfired.length > 0) {
      metrics.misfiresTotal += plan.missedAt.length;
      log.warn(
        {
          schedule: name,
          missed: plan.missedAt.length,
          notRunning: plan.unfired.length,
          latestMissedAt: plan.missedAt.at(-1),
          policy: entry.schedule.misfirePolicy,
          firing: plan.fireAt.length,
          // Past MISSED_RECORD_CAP the older instants are counted here only, not recorded.
          isTruncated: plan.isTruncated,
        },
        "fires missed",
      );
    }
    // Recorded before the fires: every instant that does not run is a row, with its reason.
    if (plan.unfired.length > 0) {
      await coalescer.recordUnfired(entry.schedule, plan.unfired);
      // Alerts are about fires that should have run: an excluded or paused instant is not one.
      const missed = plan.unfired.filter((instant) => instant.status === "missed");
      if (missed.length > 0)
        events.emit("missedRecorded", {
          schedule: entry.schedule,
          unfired: missed,
          at: new Date(clock.now()),
        });
    }
    // Fires of every schedule due in this wake are written together (see fireCoalescer).
    for (const at of plan.fireAt) await coalescer.fire(entry.schedule, at);
    await coalescer.saveCursor(name, plan.cursorAt);
    events.emit("handled", {
      name,
      fired: plan.fireAt.length,
      missed: plan.missedAt.length,
      cursorAt: plan.cursorAt,
    });
  } catch (error) {
    // PostgreSQL or Redis is away: keep the cursor and come back. What is later than the grace
    // by then goes through the misfire policy; what was already recorded is not recorded twice.
    log.error({ err: error, schedule: name }, "fire failed; retrying");
    retryAtMs = clock.now() + FIRE_RETRY_MS;
    events.emit("failed", { name, retryAtMs });
  }
  entry.isBusy = false;
  const current = held.get(name);
  if (current?.inheritsPlanOf === entry) {
    // Replaced by an edit while firing: the new definition carries on from here. After a
    // failure it tries again what was owed, under the timing that owed it (see carryOwedTimings).
    current.inheritsPlanOf = undefined;
    current.isBusy = false;
    resume(held, current, plan, retryAtMs);
  } else if (current === entry) {
    resume(held, entry, plan, retryAtMs);
  } else if (retryAtMs === undefined && current && !current.isBusy && current.cursorAt < plan.cursorAt) {
    // Removed and added again while firing: it starts after what was just handled.
    held.advance(current, plan.cursorAt);
  }
}

function resume(
  held: HeldSchedules,
  entry: HeldSchedule,
  plan: DuePlan,
  retryAtMs: number | undefined,
): void {
  if (retryAtMs === undefined) {
    // An edit's new timing may start after what this plan handled: the cursor never moves back.
    held.advance(entry, entry.cursorAt > plan.cursorAt ? entry.cursorAt : plan.cursorAt);
  } else if (entry.nextAt !== null && entry.nextAt.getTime() <= retryAtMs) {
    held.place(entry, retryAtMs);
  } else {
    // What failed was not this definition's to fire (an edit replaced it): it waits for its own.
    held.place(entry);
  }
}
