import type { ExclusionMatcher, MisfirePolicy, Schedule, ScheduleTiming } from "@hotbeat/shared";
import { packColdFields, unpackColdFields, type ColdFields } from "./coldFields.js";
import type { EarlierTiming } from "./owedFireTimes.js";

/** Strings many rows repeat (a cron expression, a zone): one copy for all of them. */
const internedStrings = new Map<string, string>();
const INTERNED_STRINGS_SIZE = 100_000;

function intern<T extends string | null>(value: T): T {
  if (value === null) return value;
  const known = internedStrings.get(value);
  if (known !== undefined) return known as T;
  if (internedStrings.size >= INTERNED_STRINGS_SIZE) internedStrings.clear();
  internedStrings.set(value, value);
  return value;
}

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
 * One schedule held by the scheduler, in as few bytes as a million of them allow: instants as
 * numbers (a Date costs over 100 bytes), the timing fields as they came, the cold fields shared
 * (see coldFields). `schedule` builds the row again for the fire path, which reads it per fire.
 */
export class HeldSchedule {
  readonly name: string;
  readonly version: number;
  readonly cron: string | null;
  readonly intervalSeconds: number | null;
  readonly runAt: Date | null;
  readonly timezone: string;
  readonly startAt: Date | null;
  readonly endAt: Date | null;
  readonly intervalAnchorAt: Date | null;
  readonly createdAtMs: number;
  /** The row's `updated_at`: its last change, the instant its fires belong to it from. */
  readonly updatedAtMs: number;
  private readonly cold: ColdFields;
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

  constructor(row: Schedule, exclusions: ExclusionMatcher[], appliedSeq: number, state: HeldState) {
    this.name = row.name;
    this.version = row.version;
    this.cron = intern(row.cron);
    this.intervalSeconds = row.intervalSeconds;
    this.runAt = row.runAt;
    this.timezone = intern(row.timezone);
    this.startAt = row.startAt;
    this.endAt = row.endAt;
    this.intervalAnchorAt = row.intervalAnchorAt;
    this.createdAtMs = row.createdAt.getTime();
    this.updatedAtMs = row.updatedAt.getTime();
    this.cold = packColdFields(row);
    this.exclusions = exclusions;
    this.cursorAtMs = state.cursorAtMs;
    this.ownedFromAtMs = state.ownedFromAtMs;
    this.earlier = state.earlier;
    this.isBusy = state.isBusy;
    this.appliedSeq = appliedSeq;
    this.inheritsPlanOf = state.inheritsPlanOf;
  }

  /** The row this definition was applied from, built anew on each read (the fire path's input). */
  get schedule(): Schedule {
    return {
      name: this.name,
      cron: this.cron,
      intervalSeconds: this.intervalSeconds,
      runAt: this.runAt,
      timezone: this.timezone,
      startAt: this.startAt,
      endAt: this.endAt,
      intervalAnchorAt: this.intervalAnchorAt,
      version: this.version,
      createdAt: new Date(this.createdAtMs),
      updatedAt: new Date(this.updatedAtMs),
      ...unpackColdFields(this.cold),
    };
  }

  /** What fire-time math needs: the timing, with the name a cron `H` is hashed from. */
  get timing(): ScheduleTiming {
    return {
      name: this.name,
      cron: this.cron,
      intervalSeconds: this.intervalSeconds,
      runAt: this.runAt,
      timezone: this.timezone,
      startAt: this.startAt,
      endAt: this.endAt,
      intervalAnchorAt: this.intervalAnchorAt,
    };
  }

  get misfirePolicy(): MisfirePolicy {
    return this.cold.misfirePolicy;
  }
  get misfireGraceSeconds(): number {
    return this.cold.misfireGraceSeconds;
  }
  get jitterSeconds(): number {
    return this.cold.jitterSeconds;
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
