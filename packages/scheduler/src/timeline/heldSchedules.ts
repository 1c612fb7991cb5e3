import {
  checkScheduleRow,
  compileExclusions,
  type CalendarDates,
  type ExclusionMatcher,
  toTiming,
  type Logger,
  type Schedule,
  type ScheduleTiming,
} from "@hotbeat/shared";
import { computeJitterMs, planDueFires, type DuePlan, type UnfiredInstant } from "../firing/planDueFires.js";
import { carryOwedTimings, computeNextOwedFireTime, type EarlierTiming } from "./owedFireTimes.js";
import { Timeline } from "./timeline.js";

/** One schedule held by the scheduler. */
export interface HeldSchedule {
  schedule: Schedule;
  timing: ScheduleTiming;
  /** Its excluded dates, its own and those of the calendars it names, as loaded with the row. */
  exclusions: ExclusionMatcher[];
  /** Every instant up to and including this one has been dealt with (fired, missed or passed by). */
  cursorAt: Date;
  /** The next nominal instant after the cursor; null when the schedule will never fire again. */
  nextAt: Date | null;
  /**
   * Timings replaced by an edit while some of their instants were due but not yet dealt with
   * (a jittered fire pending, a fire in flight, a leader's gap): those still fire first.
   */
  earlier?: EarlierTiming[];
  /**
   * The cursor this definition started from: its own instants up to here were dealt with by the
   * definition before it, or belong to no one (the self-check looks only after it).
   */
  ownedFromAt: Date;
  /** True while its fires are in flight; it is out of the timeline meanwhile. */
  isBusy: boolean;
  /** Order of application, so a resync never drops what a message applied during its read. */
  appliedSeq: number;
  /**
   * Set when this definition replaced one whose fires were in flight: it stays busy and takes
   * over that plan's outcome (see executePlan), so a schedule never has two plans at once.
   */
  inheritsPlanOf?: HeldSchedule;
}

/** A due instant of a schedule taken out of firing before it fired, to record as not run. */
export interface PendingUnfired {
  schedule: Schedule;
  unfired: UnfiredInstant;
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
  /** Schedules hotbeat cannot fire, with why: logged, counted and listed, never silently dropped. */
  readonly invalid = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly log: Logger,
    private readonly listeners: {
      onInvalid?: (name: string, reason: string) => void;
      /** A change to when a schedule fires moved its cursor to `entry.cursorAt`. */
      onTimingChanged?: (entry: HeldSchedule) => void;
      /**
       * A held schedule was paused or deleted; it owes nothing from `changeAt` on. `pending` is
       * its instant that was already due but had not fired (its jitter still to come), which
       * will now never run: the leader records it (see {@link findPendingUnfired}).
       */
      onRetired?: (name: string, changeAt: Date, pending?: PendingUnfired) => void;
    } = {},
  ) {}

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
   * `version`. A disabled or absent schedule is removed. An edit that leaves its timing alone (a
   * description, a payload) keeps the cursor and the pending fire, jittered or in flight: it
   * must never drop an instant. A change to when it fires never replays the new timing's
   * instants from before the change itself (`updatedAt`): those belonged to the old definition,
   * which this scheduler was firing until now; but what the old timing owed and had not dealt
   * with by then (a nominal instant waiting for its jitter, a fire in flight) is carried over
   * and still fires. On becoming leader the stored cursors replace these (see restoreCursors).
   * `nowMs` is this scheduler's clock: only instants due by then were owed. `calendarDates` are
   * the calendars the row names, read with it: exclusions are checked at fire time, so a change
   * to them never moves the cursor. `cursorAt` replaces the cursor of a schedule that was not
   * held: a pause ending at its `pausedUntil` resumes from the cursor hotbeat chose for it (see
   * resumePaused).
   */
  apply(
    name: string,
    row: Schedule | undefined,
    version: number,
    nowMs: number,
    calendarDates: readonly CalendarDates[] = [],
    options: { cursorAt?: Date } = {},
  ): ApplyOutcome {
    if (version <= this.knownVersion(name)) return "stale";
    this.knownVersions.set(name, version);
    if (!row || !row.enabled) {
      const previous = this.held.get(name);
      if (previous) {
        const changeAt = new Date(row ? Math.min(changeFloorMs(row), nowMs) : nowMs);
        this.listeners.onRetired?.(name, changeAt, findPendingUnfired(previous, row !== undefined, nowMs));
      }
      this.remove(name);
      return "removed";
    }
    // One bad row (a raw SQL '-infinity', a cron that does not parse) must not stop the others.
    const reason = checkScheduleRow(row);
    if (reason !== null) {
      this.markInvalid(name, reason);
      return "invalid";
    }
    const exclusions = compileRowExclusions(row, calendarDates);
    const previous = this.held.get(name);
    if (previous && hasSameTiming(previous.schedule, row))
      return this.replaceKeepingTiming(previous, row, exclusions);
    const changeMs = changeFloorMs(row);
    const startAt =
      previous === undefined && options.cursorAt !== undefined
        ? options.cursorAt
        : new Date(Math.max(previous?.cursorAt.getTime() ?? 0, changeMs));
    const earlier = previous ? carryOwedTimings(previous, changeMs, nowMs) : undefined;
    const entry: HeldSchedule = {
      schedule: row,
      timing: toTiming(row),
      exclusions,
      cursorAt: earlier ? previous!.cursorAt : startAt,
      nextAt: null,
      earlier,
      ownedFromAt: startAt,
      isBusy: previous?.isBusy ?? false,
      appliedSeq: ++this.seq,
      inheritsPlanOf: previous?.isBusy ? (previous.inheritsPlanOf ?? previous) : undefined,
    };
    const nextReason = this.computeNext(entry);
    if (nextReason !== null) {
      this.markInvalid(name, nextReason);
      return "invalid";
    }
    this.invalid.delete(name);
    this.held.set(name, entry);
    this.place(entry);
    if (!this.isCurrent(entry)) return "invalid";
    this.listeners.onTimingChanged?.(entry);
    return "applied";
  }

  /** A new definition with the same timing: same cursor, same next instant, same pending fire. */
  private replaceKeepingTiming(
    previous: HeldSchedule,
    row: Schedule,
    exclusions: ExclusionMatcher[],
  ): ApplyOutcome {
    const entry: HeldSchedule = {
      ...previous,
      schedule: row,
      exclusions,
      appliedSeq: ++this.seq,
      inheritsPlanOf: previous.isBusy ? (previous.inheritsPlanOf ?? previous) : undefined,
    };
    this.held.set(row.name, entry);
    this.place(entry);
    return this.isCurrent(entry) ? "applied" : "invalid";
  }

  /** Forgets `name` (deleted or disabled), invalid or not. */
  remove(name: string): void {
    this.held.delete(name);
    this.timeline.remove(name);
    this.invalid.delete(name);
  }

  /** Takes `name` out of firing and reports why; the next valid version brings it back. */
  markInvalid(name: string, reason: string): void {
    this.remove(name);
    this.invalid.set(name, reason);
    this.log.error({ schedule: name, reason }, "schedule skipped: hotbeat cannot fire it");
    this.listeners.onInvalid?.(name, reason);
  }

  /** Sets `entry.nextAt` from its cursor; returns why it cannot, or null. */
  private computeNext(entry: HeldSchedule): string | null {
    if (!Number.isFinite(entry.cursorAt.getTime())) return "its cursor is not a finite instant";
    try {
      entry.nextAt = computeNextOwedFireTime(entry.timing, entry.earlier ?? [], entry.cursorAt);
    } catch (error) {
      return `its next fire cannot be computed: ${error instanceof Error ? error.message : "unknown error"}`;
    }
    if (entry.nextAt !== null && !Number.isFinite(entry.nextAt.getTime()))
      return "its next fire instant is not finite";
    return null;
  }

  /** True when `entry` is still the one held for its name (no newer definition replaced it). */
  isCurrent(entry: HeldSchedule): boolean {
    return this.held.get(entry.schedule.name) === entry;
  }

  /** Moves the cursor to `cursorAt` and the entry to its next instant after it. */
  advance(entry: HeldSchedule, cursorAt: Date): void {
    entry.cursorAt = cursorAt;
    const earlier = entry.earlier?.filter((span) => span.untilAt > cursorAt);
    entry.earlier = earlier && earlier.length > 0 ? earlier : undefined;
    const reason = this.computeNext(entry);
    if (reason !== null) {
      if (this.isCurrent(entry)) this.markInvalid(entry.schedule.name, reason);
      return;
    }
    this.place(entry);
  }

  /**
   * Restarts `entry` from a stored cursor (on becoming leader), with the timings `earlier` that
   * were in force after it, if known. Its instants after the cursor are then owed again.
   */
  restore(entry: HeldSchedule, cursorAt: Date, earlier: EarlierTiming[] | undefined): void {
    entry.earlier = earlier;
    if (cursorAt < entry.ownedFromAt) entry.ownedFromAt = cursorAt;
    this.advance(entry, cursorAt);
  }

  /** What to fire now that `entry` is due (see {@link planDueFires}); throws on a bad timing. */
  planDue(entry: HeldSchedule, nowMs: number): DuePlan {
    const { schedule, nextAt } = entry;
    return planDueFires({
      timing: entry.timing,
      earlier: entry.earlier,
      nextAt: nextAt!,
      cursorAt: entry.cursorAt,
      nowMs,
      graceMs: schedule.misfireGraceSeconds * 1000,
      jitterMs: computeJitterMs(schedule.name, nextAt!, schedule.jitterSeconds),
      policy: schedule.misfirePolicy,
      exclusions: entry.exclusions,
    });
  }

  /** (Re)places the entry in the timeline: at its next instant plus jitter, or at `dueAtMs`. */
  place(entry: HeldSchedule, dueAtMs?: number): void {
    const name = entry.schedule.name;
    if (!this.isCurrent(entry) || entry.isBusy || entry.nextAt === null) {
      if (this.isCurrent(entry)) this.timeline.remove(name);
      return;
    }
    try {
      const jitterMs = computeJitterMs(name, entry.nextAt, entry.schedule.jitterSeconds);
      this.timeline.upsert(name, dueAtMs ?? entry.nextAt.getTime() + jitterMs, entry);
    } catch (error) {
      // A value that slipped past the checks must still cost only this schedule.
      this.markInvalid(
        name,
        `it cannot be placed: ${error instanceof Error ? error.message : "unknown error"}`,
      );
    }
  }
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
  if (entry.isBusy || entry.nextAt === null || entry.nextAt.getTime() > nowMs) return undefined;
  const change = isPaused ? "paused" : "deleted";
  const fire = entry.schedule.jitterSeconds > 0 ? "its jittered fire" : "its fire";
  return {
    schedule: entry.schedule,
    unfired: { at: entry.nextAt, status: "skipped", reason: `${change} before ${fire}` },
  };
}

/** Shared by every schedule without excluded dates (nearly all): nothing to compile or hold. */
const NO_EXCLUSIONS: ExclusionMatcher[] = Object.freeze([]) as unknown as ExclusionMatcher[];

function compileRowExclusions(row: Schedule, calendarDates: readonly CalendarDates[]): ExclusionMatcher[] {
  const isEmpty = (list: readonly unknown[] | null | undefined) => !Array.isArray(list) || list.length === 0;
  if (isEmpty(row.exclude) && isEmpty(row.calendars)) return NO_EXCLUSIONS;
  return compileExclusions(row.exclude ?? [], row.calendars ?? [], calendarDates);
}

const msOf = (at: Date | null) => at?.getTime() ?? null;

/** True when `a` and `b` fire at the same instants: only these fields may move a cursor. */
export function hasSameTiming(a: Schedule, b: Schedule): boolean {
  return (
    a.cron === b.cron &&
    a.intervalSeconds === b.intervalSeconds &&
    msOf(a.runAt) === msOf(b.runAt) &&
    a.timezone === b.timezone &&
    msOf(a.startAt) === msOf(b.startAt) &&
    msOf(a.endAt) === msOf(b.endAt) &&
    msOf(a.intervalAnchorAt) === msOf(b.intervalAnchorAt) &&
    a.enabled === b.enabled
  );
}

/**
 * The instant after which a definition's fires belong to it: just before its last change, so a
 * fire at the change instant itself counts (an interval fires at its anchor, k >= 0, and the
 * anchor of a changed interval is the change's own timestamp).
 */
export function changeFloorMs(row: Schedule): number {
  return row.updatedAt.getTime() - 1;
}
