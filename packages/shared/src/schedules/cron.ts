import { CRON_MACROS } from "@hotbeat/cron-macros";
import { findCronDayInMonth, readDayOfMonthRule, type CronDays } from "./cronDays.js";
import { parseOnce } from "./cronCache.js";
import { failCron } from "./cronErrors.js";
import { expandCronFields, type ExpandedField } from "./cronFields.js";

export { isCronDay } from "./cronDays.js";

/**
 * A cron expression expanded into the values each field allows.
 *
 * Value sets are sorted ascending and deduplicated. Day of week uses 0–6 with 0 = Sunday (a
 * written 7 is folded into 0). A five-field expression gets `seconds: [0]`. The day rules
 * (`L`, `W`, `#`, `nL`) are in the {@link CronDays} part.
 */
export interface ParsedCron extends CronDays {
  /** The expression as written (trimmed). */
  readonly expression: string;
  /** The six fields after macro expansion, upper-cased, `H` not yet resolved. */
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
  readonly months: readonly number[];
  /**
   * The hour field is `*` or `*\/n`: the job keeps real-time rhythm across DST instead of the
   * fixed-hour RFC 5545 rule (README, "Time").
   */
  readonly isWildcardHour: boolean;
}

const sortNumbers = (values: Iterable<number>) => [...new Set(values)].sort((a, b) => a - b);

/**
 * Values read from one expanded field, kept with it: expanded fields are shared between
 * expressions (see expandCronFields), so their sorted values are computed and held once too.
 */
function readOnce(
  cache: WeakMap<ExpandedField, readonly number[]>,
  field: ExpandedField,
  read: (field: ExpandedField) => number[],
): readonly number[] {
  let values = cache.get(field);
  if (values === undefined) {
    values = Object.freeze(read(field));
    cache.set(field, values);
  }
  return values;
}

const numbersRead = new WeakMap<ExpandedField, readonly number[]>();
const weekdaysRead = new WeakMap<ExpandedField, readonly number[]>();
const lastWeekdaysRead = new WeakMap<ExpandedField, readonly number[]>();

const readNumbers = (field: ExpandedField) =>
  readOnce(numbersRead, field, (f) =>
    sortNumbers(f.values.flatMap((v) => (typeof v === "number" ? [v] : []))),
  );

/** The day fields as cron-parser expanded them, in hotbeat's shape. */
function readDays(
  dayOfMonth: ExpandedField,
  dayOfWeek: ExpandedField,
  written: readonly string[],
): Omit<CronDays, "dayOfMonthRule"> {
  const weekdays = readOnce(weekdaysRead, dayOfWeek, (f) =>
    sortNumbers(f.values.flatMap((v) => (typeof v === "number" ? [v % 7] : []))),
  );
  const lastWeekdays = readOnce(lastWeekdaysRead, dayOfWeek, (f) =>
    sortNumbers(f.values.flatMap((v) => (typeof v === "string" ? [Number(v.slice(0, -1) || "7") % 7] : []))),
  );
  const occurrence = dayOfWeek.nthDay;
  const isUnrestricted = (text: string | undefined) => text === "*" || text === "?";
  return {
    daysOfMonth: readNumbers(dayOfMonth),
    isLastDayOfMonth: dayOfMonth.values.includes("L"),
    daysOfWeek: occurrence > 0 ? [] : weekdays,
    lastWeekdays,
    nthWeekday: occurrence > 0 ? { weekday: weekdays[0] ?? 0, occurrence } : null,
    isDayOfMonthRestricted: !isUnrestricted(written[3]),
    isDayOfWeekRestricted: !isUnrestricted(written[5]),
  };
}

/**
 * Parses a cron expression: five fields (minute hour day-of-month month day-of-week), six with
 * seconds first, or a macro (`@hourly @daily @midnight @weekly @monthly @yearly @annually`).
 * Names (`MON`, `jan`) are case-insensitive; 0 and 7 are Sunday. Beside ranges, lists and steps
 * it reads `L`, `L-n`, `nW`, `LW` and `?` in day-of-month, `nL`, `n#k` and `?` in day-of-week,
 * with Quartz's meaning, and `H` anywhere, hashed from `name` (the schedule's name).
 *
 * cron-parser expands the fields; hotbeat adds what cron-parser lacks (`W`, `L-n`), resolves `H`
 * itself (cron-parser's `H` draws from a seeded random sequence that depends on its field order
 * and version, and hotbeat promises a schedule's `H` never moves), and refuses steps wider than
 * the field. Fire times are computed by hotbeat, not cron-parser, for the DST rules in the README's "Time" section.
 *
 * @throws InvalidSchedule on field "cron", with a message naming the field and the problem,
 *   e.g. `cron: expected 5 or 6 fields, got 4` or ``cron: day-of-week `8#2`: weekday must be 0-7``.
 */
export function parseCron(expression: string, name = ""): ParsedCron {
  // Only an expression with H depends on the name; the others share one entry.
  const key = /h/i.test(expression) ? `${expression}\u0000${name}` : expression;
  return parseOnce(key, parseCronUncached, expression, name);
}

function parseCronUncached(expression: string, name: string): ParsedCron {
  const trimmed = expression.trim();
  if (trimmed === "") failCron("expression is empty");
  let macro: string | null = null;
  let source = trimmed;
  if (source.startsWith("@")) {
    const expansion = CRON_MACROS[source.toLowerCase()];
    if (expansion === undefined) {
      failCron(`unknown macro "${trimmed}"; use one of ${Object.keys(CRON_MACROS).join(" ")}`);
    }
    macro = source.toLowerCase();
    source = expansion;
  }
  // Counted here because cron-parser fills in missing fields.
  const parts = source.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    failCron(`expected 5 or 6 fields, got ${parts.length}`);
  }
  // Messages quote the field as written; parsing reads it upper-cased (cron-parser's `L`, `H`).
  const original = parts.length === 5 ? ["0", ...parts] : parts;
  const written = original.map((text) => text.toUpperCase());
  // cron-parser validates the stand-in (`15W` → `15`); the rule then replaces what it read.
  const { rule, standIn } = readDayOfMonthRule(written[3]!);
  const standInFields = written.map((text, index) => (index === 3 ? standIn : text));
  const [seconds, minutes, hours, daysOfMonth, months, daysOfWeek] = expandCronFields(
    standInFields,
    original,
    name,
  );
  const ruleDays = rule === null ? {} : { daysOfMonth: [], isLastDayOfMonth: false };
  const [second = "", minute = "", hour = "", dayOfMonth = "", month = "", dayOfWeek = ""] = written;
  return {
    expression: trimmed,
    fields: { second, minute, hour, dayOfMonth, month, dayOfWeek },
    macro,
    seconds: readNumbers(seconds),
    minutes: readNumbers(minutes),
    hours: readNumbers(hours),
    months: readNumbers(months),
    ...readDays(daysOfMonth, daysOfWeek, written),
    ...ruleDays,
    dayOfMonthRule: rule,
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
  let year = start.getUTCFullYear();
  let monthIndex = start.getUTCMonth();
  // Only the first day considered starts at the time of `start`; every later one at midnight.
  let fromDay = start.getUTCDate();
  let hour = start.getUTCHours();
  let minute = start.getUTCMinutes();
  let second = start.getUTCSeconds();
  for (let monthMs = Date.UTC(year, monthIndex, 1); monthMs < limitWallMs;) {
    if (cron.months.includes(monthIndex + 1)) {
      const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
      const weekdayOfFirst = new Date(monthMs).getUTCDay();
      for (
        let day = findCronDayInMonth(cron, fromDay, lastDay, weekdayOfFirst);
        day !== null;
        day = findCronDayInMonth(cron, day + 1, lastDay, weekdayOfFirst)
      ) {
        const dayMs = monthMs + (day - 1) * DAY_MS;
        if (dayMs >= limitWallMs) return null;
        const timeMs =
          day === fromDay ? findTimeOfDay(cron, hour, minute, second) : findTimeOfDay(cron, 0, 0, 0);
        if (timeMs !== null) return dayMs + timeMs < limitWallMs ? dayMs + timeMs : null;
      }
    }
    monthIndex += 1;
    if (monthIndex === 12) {
      monthIndex = 0;
      year += 1;
    }
    monthMs = Date.UTC(year, monthIndex, 1);
    fromDay = 1;
    hour = minute = second = 0;
  }
  return null;
}
