import type { ExclusionMatcher, MisfirePolicy, Schedule, ScheduleTiming } from "@hotbeat/shared";
import type { EarlierTiming } from "./owedFireTimes.js";
import { PackedSchedule } from "./packedSchedule.js";

const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/** What a held schedule owes and where it stands, carried from one definition to the next. */
export interface HeldState {
  cursorAtMs: number;
  ownedFromAtMs: number;
  earlier: EarlierTiming[] | undefined;
  isBusy: boolean;
  inheritsPlanOf: HeldSchedule | undefined;
}

/**
 * One schedule held by the scheduler: its definition, packed (see PackedSchedule), and where it
 * stands. Instants are numbers; the Date accessors build one on each read. `schedule` builds a
 * plain row for the fire path, which reads it per fire.
 */
export class HeldSchedule {
  /** The definition applied, as loaded. */
  readonly definition: PackedSchedule;
  /** Its excluded dates, its own and those of the calendars it names, as loaded with the row. */
  readonly exclusions: ExclusionMatcher[];
  /** Every instant up to and including this one has been dealt with (fired, missed or passed by). */
  cursorAtMs: number;
  /** The next nominal instant after the cursor; null when the schedule will never fire again. */
  nextAtMs: number | null = null;
  /**
   * The cursor this definition started from: its own instants up to here were dealt with by the
   * definition before it, or belong to no one (the self-check looks only after it).
   */
  ownedFromAtMs: number;
  /**
   * Timings replaced by an edit while some of their instants were due but not yet dealt with
   * (a jittered fire pending, a fire in flight, a leader's gap): those still fire first.
   */
  earlier: EarlierTiming[] | undefined;
  /** True while its fires are in flight; it is out of the timeline meanwhile. */
  isBusy: boolean;
  /** Order of application, so a resync never drops what a message applied during its read. */
  readonly appliedSeq: number;
  /**
   * Set when this definition replaced one whose fires were in flight: it stays busy and takes
   * over that plan's outcome (see executePlan), so a schedule never has two plans at once.
   */
  inheritsPlanOf: HeldSchedule | undefined;
  /**
   * The full load that last found this schedule in PostgreSQL: a load removes what it did not
   * find. A mark on the entry, where a set of the names found grew to a million entries in step
   * with the schedules' own maps, and rehashing all three at once stalled the event loop.
   */
  loadMark = 0;
  /** Its slot in the timeline's heap, -1 when it is not there (see Timeline). */
  timelineSlot = -1;

  constructor(row: Schedule, exclusions: ExclusionMatcher[], appliedSeq: number, state: HeldState) {
    this.definition = PackedSchedule.from(row);
    this.exclusions = exclusions;
    this.cursorAtMs = state.cursorAtMs;
    this.ownedFromAtMs = state.ownedFromAtMs;
    this.earlier = state.earlier;
    this.isBusy = state.isBusy;
    this.appliedSeq = appliedSeq;
    this.inheritsPlanOf = state.inheritsPlanOf;
  }

  get name(): string {
    return this.definition.name;
  }
  get version(): number {
    return this.definition.version;
  }
  /** The row's `updated_at`: its last change, the instant its fires belong to it from. */
  get updatedAtMs(): number {
    return this.definition.updatedAtMs;
  }

  /** The row this definition was applied from, as a plain copy (the fire path's input). */
  get schedule(): Schedule {
    return this.definition.toRow();
  }

  /** What fire-time math needs: the timing, with the name a cron `H` is hashed from. */
  get timing(): ScheduleTiming {
    const { name, cron, intervalSeconds, runAt, timezone, startAt, endAt, intervalAnchorAt } =
      this.definition;
    return { name, cron, intervalSeconds, runAt, timezone, startAt, endAt, intervalAnchorAt };
  }

  get misfirePolicy(): MisfirePolicy {
    return this.definition.misfirePolicy;
  }
  get misfireGraceSeconds(): number {
    return this.definition.misfireGraceSeconds;
  }
  get jitterSeconds(): number {
    return this.definition.jitterSeconds;
  }

  get cursorAt(): Date {
    return new Date(this.cursorAtMs);
  }
  get nextAt(): Date | null {
    return toDate(this.nextAtMs);
  }
  get ownedFromAt(): Date {
    return new Date(this.ownedFromAtMs);
  }

  /** What a new definition of the same schedule takes over from this one. */
  get state(): HeldState {
    return {
      cursorAtMs: this.cursorAtMs,
      ownedFromAtMs: this.ownedFromAtMs,
      earlier: this.earlier,
      isBusy: this.isBusy,
      inheritsPlanOf: this.isBusy ? (this.inheritsPlanOf ?? this) : undefined,
    };
  }
}
