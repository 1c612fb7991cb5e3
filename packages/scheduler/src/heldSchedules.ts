import {
  computeNextFireTime,
  toTiming,
  type Logger,
  type MisfirePolicy,
  type Schedule,
  type ScheduleTiming,
} from "@hotbeat/shared";
import { computeJitterMs, planDueFires, type DuePlan } from "./firePlan.js";
import { Timeline } from "./timeline.js";

/** One schedule held by the scheduler. */
export interface HeldSchedule {
  schedule: Schedule;
  timing: ScheduleTiming;
  /** Every instant up to and including this one has been dealt with (fired, missed or passed by). */
  cursorAt: Date;
  /** The next nominal instant after the cursor; null when the schedule will never fire again. */
  nextAt: Date | null;
  /** True while its fires are in flight; it is out of the timeline meanwhile. */
  isBusy: boolean;
  /** Order of application, so a resync never drops what a message applied during its read. */
  appliedSeq: number;
}

export type ApplyOutcome = "applied" | "removed" | "stale" | "invalid";

/**
 * The schedules a scheduler holds, by name, and the timeline of when each is next due. Applying
 * is by version only: an older version (a slow load racing a newer one) never replaces a newer
 * one, and a delete is remembered so a late load of the old row cannot bring it back.
 */
export class HeldSchedules {
  readonly timeline = new Timeline<HeldSchedule>();
  private readonly held = new Map<string, HeldSchedule>();
  private readonly knownVersions = new Map<string, number>();
  private seq = 0;

  constructor(private readonly log: Logger) {}

  get size(): number {
    return this.held.size;
  }
  get lastSeq(): number {
    return this.seq;
  }
  get(name: string): HeldSchedule | undefined {
    return this.held.get(name);
  }
  entries(): HeldSchedule[] {
    return [...this.held.values()];
  }
  /** The highest version seen for `name`, applied or deleted. */
  knownVersion(name: string): number {
    return this.knownVersions.get(name) ?? 0;
  }

  /**
   * Applies what PostgreSQL holds for `name`: `row` (undefined when the row is gone) at
   * `version`. A disabled or absent schedule is removed. A new definition keeps the cursor, but
   * never replays instants from before the change itself (`updatedAt`): those belonged to the
   * old definition. On becoming leader the stored cursors replace these (see the scheduler).
   */
  apply(name: string, row: Schedule | undefined, version: number): ApplyOutcome {
    if (version <= this.knownVersion(name)) return "stale";
    this.knownVersions.set(name, version);
    if (!row || !row.enabled) {
      this.remove(name);
      return "removed";
    }
    const previous = this.held.get(name);
    const floorMs = Math.max(previous?.cursorAt.getTime() ?? 0, changeFloorMs(row));
    const entry: HeldSchedule = {
      schedule: row,
      timing: toTiming(row),
      cursorAt: new Date(floorMs),
      nextAt: null,
      isBusy: false,
      appliedSeq: ++this.seq,
    };
    try {
      entry.nextAt = computeNextFireTime(entry.timing, entry.cursorAt);
    } catch (error) {
      // One bad schedule (say a raw SQL cron that does not parse) must not stop the others.
      this.log.error(
        { err: error, schedule: name, version },
        "schedule skipped: its timing cannot be computed",
      );
      this.remove(name);
      return "invalid";
    }
    this.held.set(name, entry);
    this.place(entry);
    return "applied";
  }

  remove(name: string): void {
    this.held.delete(name);
    this.timeline.remove(name);
  }

  /** True when `entry` is still the one held for its name (no newer definition replaced it). */
  isCurrent(entry: HeldSchedule): boolean {
    return this.held.get(entry.schedule.name) === entry;
  }

  /** Moves the cursor to `cursorAt` and the entry to its next instant after it. */
  advance(entry: HeldSchedule, cursorAt: Date): void {
    entry.cursorAt = cursorAt;
    try {
      entry.nextAt = computeNextFireTime(entry.timing, cursorAt);
    } catch (error) {
      this.log.error(
        { err: error, schedule: entry.schedule.name },
        "schedule skipped: its timing cannot be computed",
      );
      this.remove(entry.schedule.name);
      return;
    }
    this.place(entry);
  }

  /** What to fire now that `entry` is due (see {@link planDueFires}); throws on a bad timing. */
  planDue(entry: HeldSchedule, nowMs: number): DuePlan {
    const { schedule, nextAt } = entry;
    return planDueFires({
      timing: entry.timing,
      nextAt: nextAt!,
      cursorAt: entry.cursorAt,
      nowMs,
      graceMs: schedule.misfireGraceSeconds * 1000,
      jitterMs: computeJitterMs(schedule.name, nextAt!, schedule.jitterSeconds),
      policy: schedule.misfirePolicy as MisfirePolicy,
    });
  }

  /** (Re)places the entry in the timeline: at its next instant plus jitter, or at `dueAtMs`. */
  place(entry: HeldSchedule, dueAtMs?: number): void {
    const name = entry.schedule.name;
    if (!this.isCurrent(entry) || entry.isBusy || entry.nextAt === null) {
      if (this.isCurrent(entry)) this.timeline.remove(name);
      return;
    }
    const jitterMs = computeJitterMs(name, entry.nextAt, entry.schedule.jitterSeconds);
    this.timeline.upsert(name, dueAtMs ?? entry.nextAt.getTime() + jitterMs, entry);
  }
}

/**
 * The instant after which a definition's fires belong to it: just before its last change, so a
 * fire at the change instant itself counts (an interval fires at its anchor, k >= 0, and the
 * anchor of a changed interval is the change's own timestamp).
 */
export function changeFloorMs(row: Schedule): number {
  return row.updatedAt.getTime() - 1;
}
