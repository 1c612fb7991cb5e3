import { sql } from "drizzle-orm";
import { computeFireTimesBetween, type Database, type Logger } from "@hotbeat/shared";
import type { FireCoalescer } from "../firing/fireCoalescer.js";
import { changeFloorMs, type HeldSchedule, type HeldSchedules } from "./heldSchedules.js";

/** An instant the cursor says was dealt with, older than its grace, that no run row records. */
export interface UnrecordedInstant {
  name: string;
  at: Date;
  /** How it was repaired: fired late (run_once, run_all) or recorded as missed (skip). */
  repairedAs: "fired" | "missed";
}

/**
 * The latest instant of `entry`'s current timing older than its grace that its cursor says was
 * dealt with, or null. Instants from before this definition started are not its own (the
 * definition it replaced dealt with them, or nobody owed them), so they are not looked at.
 */
export function findLastHandledInstant(entry: HeldSchedule, nowMs: number): Date | null {
  const { schedule } = entry;
  const afterMs = Math.max(
    entry.ownedFromAt.getTime(),
    changeFloorMs(schedule),
    entry.earlier?.at(-1)?.untilAt.getTime() ?? Number.NEGATIVE_INFINITY,
  );
  const untilMs = Math.min(entry.cursorAt.getTime(), nowMs - schedule.misfireGraceSeconds * 1000 - 1);
  if (!(untilMs > afterMs)) return null;
  return computeFireTimesBetween(entry.timing, new Date(afterMs), new Date(untilMs), 1)[0] ?? null;
}

/** Which of `instants` (one per schedule name) have a run row; one statement. */
async function findRecordedNames(db: Database, instants: ReadonlyArray<{ name: string; at: Date }>) {
  const values = sql.join(
    instants.map(({ name, at }) => sql`(${name}, ${at.toISOString()}::timestamptz)`),
    sql`, `,
  );
  const rows = await db.execute<{ name: string }>(sql`
    SELECT r.schedule_name AS name FROM runs r
    JOIN (VALUES ${values}) AS v(name, at) ON r.schedule_name = v.name AND r.scheduled_at = v.at
    WHERE r.kind = 'schedule'`);
  return new Set([...rows].map((row) => row.name));
}

/**
 * The self-check's second half: no due instant older than its grace without a run row. Each
 * call looks at one page of the held schedules (the next page on the next call, round the whole
 * set), so 100k schedules cost a few hundred fire-time computations and one statement per poll.
 * For each it takes the latest instant its cursor says was dealt with; a run row deleted behind
 * the scheduler's back, or a cursor advanced by SQL, shows there as an instant without a row.
 * That instant is logged with the schedule's name and repaired through the misfire policy,
 * since it is later than its grace: fired under run_once and run_all, recorded as `missed` with
 * the reason under skip. Never silently.
 */
export function createRunRowCheck(deps: {
  db: Database;
  held: HeldSchedules;
  coalescer: FireCoalescer;
  log: Logger;
  pageSize?: number;
}): (nowMs: number) => Promise<UnrecordedInstant[]> {
  const { db, held, coalescer, log } = deps;
  const pageSize = deps.pageSize ?? 1000;
  let offset = 0;

  return async (nowMs) => {
    const all = held.entries();
    if (offset >= all.length) offset = 0;
    const page = all.slice(offset, offset + pageSize);
    offset += pageSize;
    const candidates: Array<{ entry: HeldSchedule; name: string; at: Date }> = [];
    for (const entry of page) {
      if (entry.isBusy) continue;
      try {
        const at = findLastHandledInstant(entry, nowMs);
        if (at) candidates.push({ entry, name: entry.name, at });
      } catch (error) {
        log.warn({ err: error, schedule: entry.name }, "self-check could not compute an instant");
      }
    }
    if (candidates.length === 0) return [];
    const recorded = await findRecordedNames(db, candidates);
    const repaired: UnrecordedInstant[] = [];
    for (const { entry, name, at } of candidates) {
      if (recorded.has(name) || !held.isCurrent(entry)) continue;
      const { schedule } = entry;
      const lateSeconds = Math.round((nowMs - at.getTime()) / 1000);
      const repairedAs = schedule.misfirePolicy === "skip" ? "missed" : "fired";
      log.warn(
        { schedule: name, fireAt: at, lateSeconds, policy: schedule.misfirePolicy, repairedAs },
        "self-check: a due instant older than its grace has no run row; repaired",
      );
      if (repairedAs === "missed") {
        const reason = `missed: no run was recorded for it (found by the self-check ${lateSeconds} s late), misfire policy skip`;
        await coalescer.recordUnfired(schedule, [{ at, reason, status: "missed" }]);
      } else {
        await coalescer.fire(schedule, at);
      }
      repaired.push({ name, at, repairedAs });
    }
    return repaired;
  };
}
