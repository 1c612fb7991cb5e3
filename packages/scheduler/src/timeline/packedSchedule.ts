import type { Schedule } from "@hotbeat/shared";
import { packColdFields, type ColdFields } from "./coldFields.js";

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

type TimingRest = Pick<Schedule, "intervalSeconds" | "runAt" | "startAt" | "endAt" | "intervalAnchorAt">;

/**
 * A row of `schedules` in as few bytes as a million of them allow: instants as numbers (a Date
 * costs over 100 bytes), the timing fields as they came, the cold fields shared (see
 * coldFields). It reads as a {@link Schedule} through accessors, each Date and empty JSON value
 * built on read; {@link toRow} gives a plain copy, for whatever spreads, serializes or keeps it.
 * The full load holds every row in this form, and the held schedules keep it.
 */
export class PackedSchedule implements Schedule {
  readonly name: string;
  readonly version: number;
  readonly cron: string | null;
  readonly timezone: string;
  /** The rest of the timing, null when all of it is (a cron without a window, nearly all rows). */
  private readonly rest: TimingRest | null;
  readonly createdAtMs: number;
  /** `updated_at`: its last change, the instant its fires belong to it from. */
  readonly updatedAtMs: number;
  private readonly cold: ColdFields;

  private constructor(row: Schedule) {
    this.name = row.name;
    this.version = row.version;
    this.cron = intern(row.cron);
    this.timezone = intern(row.timezone);
    const { intervalSeconds, runAt, startAt, endAt, intervalAnchorAt } = row;
    const isRestEmpty =
      intervalSeconds === null &&
      runAt === null &&
      startAt === null &&
      endAt === null &&
      intervalAnchorAt === null;
    this.rest = isRestEmpty ? null : { intervalSeconds, runAt, startAt, endAt, intervalAnchorAt };
    this.createdAtMs = row.createdAt.getTime();
    this.updatedAtMs = row.updatedAt.getTime();
    this.cold = packColdFields(row);
  }

  /** `row` packed; a row already packed is returned as it is. */
  static from(row: Schedule): PackedSchedule {
    return row instanceof PackedSchedule ? row : new PackedSchedule(row);
  }

  get intervalSeconds(): number | null {
    return this.rest?.intervalSeconds ?? null;
  }
  get runAt(): Date | null {
    return this.rest?.runAt ?? null;
  }
  get startAt(): Date | null {
    return this.rest?.startAt ?? null;
  }
  get endAt(): Date | null {
    return this.rest?.endAt ?? null;
  }
  get intervalAnchorAt(): Date | null {
    return this.rest?.intervalAnchorAt ?? null;
  }
  get createdAt(): Date {
    return new Date(this.createdAtMs);
  }
  get updatedAt(): Date {
    return new Date(this.updatedAtMs);
  }
  get task(): string {
    return this.cold.task;
  }
  get description(): string {
    return this.cold.description;
  }
  get payload(): Schedule["payload"] {
    return this.cold.isShared ? {} : this.cold.payload;
  }
  get enabled(): boolean {
    return this.cold.enabled;
  }
  get misfirePolicy(): Schedule["misfirePolicy"] {
    return this.cold.misfirePolicy;
  }
  get misfireGraceSeconds(): number {
    return this.cold.misfireGraceSeconds;
  }
  get overlapPolicy(): Schedule["overlapPolicy"] {
    return this.cold.overlapPolicy;
  }
  get jitterSeconds(): number {
    return this.cold.jitterSeconds;
  }
  get labels(): Schedule["labels"] {
    return this.cold.isShared ? {} : this.cold.labels;
  }
  get exclude(): Schedule["exclude"] {
    return this.cold.isShared ? [] : this.cold.exclude;
  }
  get calendars(): Schedule["calendars"] {
    return this.cold.isShared ? [] : this.cold.calendars;
  }
  get calendarRevision(): number {
    return this.cold.calendarRevision;
  }
  get pausedUntil(): Date | null {
    return this.cold.pausedUntil;
  }
  get pauseMode(): Schedule["pauseMode"] {
    return this.cold.pauseMode;
  }
  get alert(): Schedule["alert"] {
    return this.cold.alert;
  }
  get updatedBy(): string {
    return this.cold.updatedBy;
  }

  /** A plain row with the same values, its own Dates and JSON values. */
  toRow(): Schedule {
    const { cold } = this;
    const isShared = cold.isShared;
    return {
      name: this.name,
      task: cold.task,
      description: cold.description,
      cron: this.cron,
      intervalSeconds: this.intervalSeconds,
      runAt: this.runAt,
      timezone: this.timezone,
      payload: isShared ? {} : cold.payload,
      enabled: cold.enabled,
      startAt: this.startAt,
      endAt: this.endAt,
      misfirePolicy: cold.misfirePolicy,
      misfireGraceSeconds: cold.misfireGraceSeconds,
      overlapPolicy: cold.overlapPolicy,
      jitterSeconds: cold.jitterSeconds,
      labels: isShared ? {} : cold.labels,
      exclude: isShared ? [] : cold.exclude,
      calendars: isShared ? [] : cold.calendars,
      calendarRevision: cold.calendarRevision,
      pausedUntil: cold.pausedUntil,
      pauseMode: cold.pauseMode,
      alert: cold.alert,
      version: this.version,
      intervalAnchorAt: this.intervalAnchorAt,
      createdAt: new Date(this.createdAtMs),
      updatedAt: new Date(this.updatedAtMs),
      updatedBy: cold.updatedBy,
    };
  }
}
