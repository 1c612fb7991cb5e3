import { InvalidSchedule } from "../errors.js";

/**
 * A cron expression expanded into the values each field allows (SPEC §3).
 *
 * Value sets are sorted ascending and deduplicated. Day of week uses 0–6 with 0 = Sunday (a
 * written 7 is folded into 0). A five-field expression gets `seconds: [0]`.
 */
export interface ParsedCron {
  /** The expression as written (trimmed). */
  readonly expression: string;
  /** The six fields after macro expansion, lowercased: what the flags below were read from. */
  readonly fields: {
    readonly second: string;
    readonly minute: string;
    readonly hour: string;
    readonly dayOfMonth: string;
    readonly month: string;
    readonly dayOfWeek: string;
  };
  /** The macro the expression was written as (`@daily`), or null. */
  readonly macro: string | null;
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly number[];
  /** The day-of-month field is anything but `*`. */
  readonly isDayOfMonthRestricted: boolean;
  /** The day-of-week field is anything but `*`. */
  readonly isDayOfWeekRestricted: boolean;
  /**
   * The hour field is `*` or `*\/n`: the job keeps real-time rhythm across DST instead of the
   * fixed-hour RFC 5545 rule (SPEC §3).
   */
  readonly isWildcardHour: boolean;
}

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Highest value `*` expands to; day of week accepts 7 but `*` stops at 6. */
  readonly wildcardMax: number;
  readonly names?: readonly string[];
  readonly namesStartAt?: number;
}

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const SECOND: FieldSpec = { label: "second", min: 0, max: 59, wildcardMax: 59 };
const MINUTE: FieldSpec = { label: "minute", min: 0, max: 59, wildcardMax: 59 };
const HOUR: FieldSpec = { label: "hour", min: 0, max: 23, wildcardMax: 23 };
const DAY_OF_MONTH: FieldSpec = { label: "day-of-month", min: 1, max: 31, wildcardMax: 31 };
const MONTH: FieldSpec = {
  label: "month",
  min: 1,
  max: 12,
  wildcardMax: 12,
  names: MONTH_NAMES,
  namesStartAt: 1,
};
const DAY_OF_WEEK: FieldSpec = {
  label: "day-of-week",
  min: 0,
  max: 7,
  wildcardMax: 6,
  names: DAY_NAMES,
  namesStartAt: 0,
};

/** What each cron macro stands for, as five fields. */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

function fail(message: string): never {
  throw new InvalidSchedule([{ field: "cron", message }]);
}

function parseValue(text: string, spec: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) {
      fail(`${spec.label} ${value} is out of range ${spec.min}-${spec.max}`);
    }
    return value;
  }
  const nameIndex = spec.names?.indexOf(text) ?? -1;
  if (nameIndex >= 0) return nameIndex + (spec.namesStartAt ?? 0);
  if (/[#?]/.test(text) || /^(\d*l|l?w|\d+w)$/.test(text)) {
    fail(`${spec.label} "${text.toUpperCase()}" uses L, W, # or ?, which hotbeat does not support`);
  }
  const kind = spec.names ? "a number or a name" : "a number";
  fail(`${spec.label} "${text}" is not ${kind}`);
}

/** Expands one comma-separated item: `*`, `*\/n`, `a`, `a-b`, `a-b/n`, `a/n` (a to the end, step n). */
function expandItem(item: string, spec: FieldSpec, into: Set<number>): void {
  const [rangeText = "", stepText, extra] = item.split("/");
  if (extra !== undefined) fail(`${spec.label} "${item}" has more than one step`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) fail(`${spec.label} step "${stepText}" is not a number`);
    step = Number(stepText);
    if (step < 1) fail(`${spec.label} step ${step} must be at least 1`);
    // */90 in the minute field cannot mean "every 90 minutes"; refusing beats silently firing hourly.
    if (step > spec.wildcardMax - spec.min) {
      fail(`${spec.label} step ${step} is larger than the field's range ${spec.min}-${spec.wildcardMax}`);
    }
  }
  let low: number;
  let high: number;
  if (rangeText === "*") {
    low = spec.min;
    high = spec.wildcardMax;
  } else if (rangeText.includes("-")) {
    const [lowText = "", highText = "", more] = rangeText.split("-");
    if (more !== undefined || lowText === "" || highText === "") {
      fail(`${spec.label} "${rangeText}" is not a range`);
    }
    low = parseValue(lowText, spec);
    high = parseValue(highText, spec);
    if (low > high) fail(`${spec.label} range ${lowText}-${highText} goes backwards`);
  } else if (rangeText === "") {
    fail(`${spec.label} has an empty list item`);
  } else {
    low = parseValue(rangeText, spec);
    // Vixie reads `a/n` as `a-max/n`; a bare value is just itself.
    high = stepText === undefined ? low : spec.wildcardMax;
  }
  for (let value = low; value <= high; value += step) {
    into.add(spec === DAY_OF_WEEK && value === 7 ? 0 : value);
  }
}

function expandField(text: string, spec: FieldSpec): number[] {
  if (text === "?") fail(`${spec.label} "?" is not supported; write * instead`);
  const values = new Set<number>();
  for (const item of text.split(",")) expandItem(item, spec, values);
  return [...values].sort((a, b) => a - b);
}

/**
 * Parses a cron expression: five fields (minute hour day-of-month month day-of-week), six with
 * seconds first, or a macro (`@hourly @daily @midnight @weekly @monthly @yearly @annually`).
 * Names (`MON`, `jan`) are case-insensitive; 0 and 7 are Sunday.
 *
 * @throws InvalidSchedule on field "cron", with a message naming the field and the problem,
 *   e.g. `cron: expected 5 or 6 fields, got 4` or `cron: minute 60 is out of range 0-59`.
 */
export function parseCron(expression: string): ParsedCron {
  const trimmed = expression.trim();
  if (trimmed === "") fail("expression is empty");
  let macro: string | null = null;
  let source = trimmed.toLowerCase();
  if (source.startsWith("@")) {
    const expansion = CRON_MACROS[source];
    if (expansion === undefined) {
      fail(`unknown macro "${trimmed}"; use one of ${Object.keys(CRON_MACROS).join(" ")}`);
    }
    macro = source;
    source = expansion;
  }
  // Counted here because cron-parser's lenient mode fills in a missing field.
  const parts = source.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    fail(`expected 5 or 6 fields, got ${parts.length}`);
  }
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = (
    parts.length === 5 ? ["0", ...parts] : parts
  ) as [string, string, string, string, string, string];
  return {
    expression: trimmed,
    fields: { second, minute, hour, dayOfMonth, month, dayOfWeek },
    macro,
    seconds: expandField(second, SECOND),
    minutes: expandField(minute, MINUTE),
    hours: expandField(hour, HOUR),
    daysOfMonth: expandField(dayOfMonth, DAY_OF_MONTH),
    months: expandField(month, MONTH),
    daysOfWeek: expandField(dayOfWeek, DAY_OF_WEEK),
    isDayOfMonthRestricted: dayOfMonth !== "*",
    isDayOfWeekRestricted: dayOfWeek !== "*",
    isWildcardHour: hour === "*" || /^\*\/\d+$/.test(hour),
  };
}

const DAY_MS = 86_400_000;

/** The first time of day at or after h:m:s that the cron allows, in ms since midnight, or null. */
function findTimeOfDay(cron: ParsedCron, hour: number, minute: number, second: number): number | null {
  for (const h of cron.hours) {
    if (h < hour) continue;
    const fromMinute = h === hour ? minute : 0;
    for (const m of cron.minutes) {
      if (m < fromMinute) continue;
      const fromSecond = h === hour && m === minute ? second : 0;
      for (const s of cron.seconds) {
        if (s >= fromSecond) return ((h * 60 + m) * 60 + s) * 1000;
      }
    }
  }
  return null;
}

/**
 * True when the cron allows this calendar day. When day-of-month and day-of-week are both
 * restricted either one matching is enough (Vixie cron's OR); otherwise both must match, which
 * for an unrestricted field is always true.
 */
export function isCronDay(cron: ParsedCron, dayOfMonth: number, dayOfWeek: number): boolean {
  const isDomMatch = cron.daysOfMonth.includes(dayOfMonth);
  const isDowMatch = cron.daysOfWeek.includes(dayOfWeek);
  return cron.isDayOfMonthRestricted && cron.isDayOfWeekRestricted
    ? isDomMatch || isDowMatch
    : isDomMatch && isDowMatch;
}

/**
 * The first wall-clock time at or after `fromWallMs` that the cron matches, before `limitWallMs`.
 * Wall times are "local time written as if it were UTC" (ms), so this is pure calendar math with
 * no zone: the caller maps wall times to instants. Skips whole months the cron excludes, so a
 * cron that never matches (`0 0 31 2 *`) costs one pass over the days up to the limit.
 * Returns null when nothing matches before the limit.
 */
export function findNextCronWallTime(
  cron: ParsedCron,
  fromWallMs: number,
  limitWallMs: number,
): number | null {
  const start = new Date(Math.ceil(fromWallMs / 1000) * 1000);
  let dayMs = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  let hour = start.getUTCHours();
  let minute = start.getUTCMinutes();
  let second = start.getUTCSeconds();
  while (dayMs < limitWallMs) {
    const day = new Date(dayMs);
    if (!cron.months.includes(day.getUTCMonth() + 1)) {
      dayMs = Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1);
    } else {
      if (isCronDay(cron, day.getUTCDate(), day.getUTCDay())) {
        const timeMs = findTimeOfDay(cron, hour, minute, second);
        if (timeMs !== null) return dayMs + timeMs < limitWallMs ? dayMs + timeMs : null;
      }
      dayMs += DAY_MS;
    }
    hour = minute = second = 0;
  }
  return null;
}
