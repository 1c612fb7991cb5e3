import { type CalendarDates, type ExclusionMatcher, type Logger, type Schedule } from "@hotbeat/shared";
import { computeJitterMs, planDueFires, type DuePlan } from "../firing/planDueFires.js";
import { checkLoadedRow } from "./checkLoadedRow.js";
import { HeldSchedule } from "./heldSchedule.js";
import { carryOwedTimings, computeNextOwedFireTime, type EarlierTiming } from "./owedFireTimes.js";
import { compileRowExclusions } from "./rowExclusions.js";
import { changeFloorMs, findPendingUnfired, hasSameTiming, type PendingUnfired } from "./scheduleChanges.js";
import { Timeline } from "./timeline.js";

// The held schedule and the rules about its changes are read by the other stages from here.
export { HeldSchedule } from "./heldSchedule.js";
export { changeFloorMs, changeFloorMsOf, findPendingUnfired, hasSameTiming } from "./scheduleChanges.js";
export type { PendingUnfired } from "./scheduleChanges.js";

export type ApplyOutcome = "applied" | "removed" | "stale" | "invalid";

/**
 * The schedules a scheduler holds, by name, and the timeline of when each is next due. Applying
 * is by version only: an older version (a slow load racing a newer one) never replaces a newer
 * one, and a delete is remembered so a late load of the old row cannot bring it back.
 */
export class HeldSchedules {
  readonly timeline = new Timeline<HeldSchedule>();
  private readonly held = new Map<string, HeldSchedule>();
  /** The versions seen of names not held (removed, deleted, invalid); a held one carries its own. */
  private readonly versionsNotHeld = new Map<string, number>();
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
    return Math.max(this.held.get(name)?.version ?? 0, this.versionsNotHeld.get(name) ?? 0);
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
    const previous = this.held.get(name);
    if (!row || !row.enabled) {
      if (previous) {
        const changeAt = new Date(row ? Math.min(changeFloorMs(row), nowMs) : nowMs);
        this.listeners.onRetired?.(name, changeAt, findPendingUnfired(previous, row !== undefined, nowMs));
      }
      this.remove(name, version);
      return "removed";
    }
    // One bad row (a raw SQL '-infinity', a cron that does not parse) must not stop the others.
    const reason = checkLoadedRow(row, calendarDates);
    if (reason !== null) {
      this.markInvalid(name, reason, version);
      return "invalid";
    }
    const exclusions = compileRowExclusions(row, calendarDates);
    if (previous && hasSameTiming(previous, row))
      return this.replaceKeepingTiming(previous, row, exclusions, version);
    const changeMs = changeFloorMs(row);
    const startAtMs =
      previous === undefined && options.cursorAt !== undefined
        ? options.cursorAt.getTime()
        : Math.max(previous?.cursorAtMs ?? 0, changeMs);
    const earlier = previous ? carryOwedTimings(previous, changeMs, nowMs) : undefined;
    const entry = new HeldSchedule(row, exclusions, ++this.seq, {
      cursorAtMs: earlier ? previous!.cursorAtMs : startAtMs,
      ownedFromAtMs: startAtMs,
      earlier,
      isBusy: previous?.isBusy ?? false,
      inheritsPlanOf: previous?.state.inheritsPlanOf,
    });
    const nextReason = this.computeNext(entry);
    if (nextReason !== null) {
      this.markInvalid(name, nextReason, version);
      return "invalid";
    }
    this.invalid.delete(name);
    this.noteVersion(name, version, row);
    this.hold(entry, previous);
    if (!this.isCurrent(entry)) return "invalid";
    this.listeners.onTimingChanged?.(entry);
    return "applied";
  }

  /** A new definition with the same timing: same cursor, same next instant, same pending fire. */
  private replaceKeepingTiming(
    previous: HeldSchedule,
    row: Schedule,
    exclusions: ExclusionMatcher[],
    version: number,
  ): ApplyOutcome {
    const entry = new HeldSchedule(row, exclusions, ++this.seq, previous.state);
    entry.nextAtMs = previous.nextAtMs;
    this.noteVersion(row.name, version, row);
    this.hold(entry, previous);
    return this.isCurrent(entry) ? "applied" : "invalid";
  }

  /** Holds `entry` in place of `previous` and places it; the timeline holds entries, not names. */
  private hold(entry: HeldSchedule, previous: HeldSchedule | undefined): void {
    if (previous) this.timeline.remove(previous);
    this.held.set(entry.name, entry);
    this.place(entry);
  }

  /** A held row carries its version; one applied under a higher version keeps that one aside. */
  private noteVersion(name: string, version: number, row: Schedule): void {
    if (version > row.version) this.versionsNotHeld.set(name, version);
    else this.versionsNotHeld.delete(name);
  }

  /** Forgets `name` (deleted or disabled), invalid or not; `version` is the one that removed it. */
  remove(name: string, version?: number): void {
    const known = Math.max(this.knownVersion(name), version ?? 0);
    if (known > 0) this.versionsNotHeld.set(name, known);
    const entry = this.held.get(name);
    if (entry) this.timeline.remove(entry);
    this.held.delete(name);
    this.invalid.delete(name);
  }

  /** Takes `name` out of firing and reports why; the next valid version brings it back. */
  markInvalid(name: string, reason: string, version?: number): void {
    this.remove(name, version);
    this.invalid.set(name, reason);
    this.log.error({ schedule: name, reason }, "schedule skipped: hotbeat cannot fire it");
    this.listeners.onInvalid?.(name, reason);
  }

  /** Sets `entry.nextAtMs` from its cursor; returns why it cannot, or null. */
  private computeNext(entry: HeldSchedule): string | null {
    if (!Number.isFinite(entry.cursorAtMs)) return "its cursor is not a finite instant";
    let nextAt: Date | null;
    try {
      nextAt = computeNextOwedFireTime(entry.timing, entry.earlier ?? [], entry.cursorAt);
    } catch (error) {
      return `its next fire cannot be computed: ${error instanceof Error ? error.message : "unknown error"}`;
    }
    entry.nextAtMs = nextAt === null ? null : nextAt.getTime();
    if (entry.nextAtMs !== null && !Number.isFinite(entry.nextAtMs))
      return "its next fire instant is not finite";
    return null;
  }

  /** True when `entry` is still the one held for its name (no newer definition replaced it). */
  isCurrent(entry: HeldSchedule): boolean {
    return this.held.get(entry.name) === entry;
  }

  /** Moves the cursor to `cursorAt` and the entry to its next instant after it. */
  advance(entry: HeldSchedule, cursorAt: Date): void {
    entry.cursorAtMs = cursorAt.getTime();
    const earlier = entry.earlier?.filter((span) => span.untilAt > cursorAt);
    entry.earlier = earlier && earlier.length > 0 ? earlier : undefined;
    const reason = this.computeNext(entry);
    if (reason !== null) {
      if (this.isCurrent(entry)) this.markInvalid(entry.name, reason);
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
    if (cursorAt.getTime() < entry.ownedFromAtMs) entry.ownedFromAtMs = cursorAt.getTime();
    this.advance(entry, cursorAt);
  }

  /** What to fire now that `entry` is due (see {@link planDueFires}); throws on a bad timing. */
  planDue(entry: HeldSchedule, nowMs: number): DuePlan {
    const nextAt = entry.nextAt!;
    return planDueFires({
      timing: entry.timing,
      earlier: entry.earlier,
      nextAt,
      cursorAt: entry.cursorAt,
      nowMs,
      graceMs: entry.misfireGraceSeconds * 1000,
      jitterMs: computeJitterMs(entry.name, nextAt, entry.jitterSeconds),
      policy: entry.misfirePolicy,
      exclusions: entry.exclusions,
    });
  }

  /** (Re)places the entry in the timeline: at its next instant plus jitter, or at `dueAtMs`. */
  place(entry: HeldSchedule, dueAtMs?: number): void {
    const name = entry.name;
    if (!this.isCurrent(entry) || entry.isBusy || entry.nextAtMs === null) {
      this.timeline.remove(entry);
      return;
    }
    try {
      const jitterMs =
        entry.jitterSeconds > 0 ? computeJitterMs(name, entry.nextAt!, entry.jitterSeconds) : 0;
      this.timeline.upsert(entry, dueAtMs ?? entry.nextAtMs + jitterMs);
    } catch (error) {
      // A value that slipped past the checks must still cost only this schedule.
      this.markInvalid(
        name,
        `it cannot be placed: ${error instanceof Error ? error.message : "unknown error"}`,
      );
    }
  }
}
