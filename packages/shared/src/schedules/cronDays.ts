import { failCron } from "./cronErrors.js";

/**
 * A whole day-of-month field that cron-parser does not read and hotbeat does: `15W` (the weekday
 * nearest the 15th), `LW` (the last weekday of the month) and `L-3` (three days before the last).
 */
export type DayOfMonthRule =
  | { readonly kind: "nearestWeekday"; readonly day: number }
  | { readonly kind: "lastWeekday" }
  | { readonly kind: "beforeLast"; readonly days: number };

/** Which days of a month a cron allows, as {@link isCronDay} reads them. */
export interface CronDays {
  /** Plain days of the month, 1–31. */
  readonly daysOfMonth: readonly number[];
  /** `L` in the day-of-month list: the month's last day. */
  readonly isLastDayOfMonth: boolean;
  readonly dayOfMonthRule: DayOfMonthRule | null;
  /** Plain weekdays, 0–6 with 0 = Sunday. */
  readonly daysOfWeek: readonly number[];
  /** `5L`: the last Friday of the month (weekday 0–6). */
  readonly lastWeekdays: readonly number[];
  /** `1#2`: the second Monday; a month without that occurrence has no match. */
  readonly nthWeekday: { readonly weekday: number; readonly occurrence: number } | null;
  /** The day-of-month field is anything but `*` or `?`. */
  readonly isDayOfMonthRestricted: boolean;
  /** The day-of-week field is anything but `*` or `?`. */
  readonly isDayOfWeekRestricted: boolean;
}

/**
 * Reads `nW`, `LW` and `L-n` from a day-of-month field written in upper case. Returns the rule
 * and the text cron-parser should validate in its place (`15W` → `15`, `LW` → `L`), or null rule
 * and the text itself when the field has none of them.
 */
export function readDayOfMonthRule(text: string): { rule: DayOfMonthRule | null; standIn: string } {
  const field = `day-of-month \`${text}\``;
  if (text === "LW") return { rule: { kind: "lastWeekday" }, standIn: "L" };
  const beforeLast = /^L-(\d+)$/.exec(text);
  if (beforeLast) {
    const days = Number(beforeLast[1]);
    if (days < 1 || days > 30) failCron(`${field}: L-n takes n from 1 to 30`);
    return { rule: { kind: "beforeLast", days }, standIn: "L" };
  }
  const nearest = /^(\d+)W$/.exec(text);
  if (nearest) {
    const day = Number(nearest[1]);
    if (day < 1 || day > 31) failCron(`${field}: day must be 1-31`);
    return { rule: { kind: "nearestWeekday", day }, standIn: String(day) };
  }
  if (text.includes("W")) failCron(`${field}: W takes one day (15W) or L (LW), not a list, range or step`);
  if (/L-/.test(text)) failCron(`${field}: L-n stands alone, not in a list`);
  return { rule: null, standIn: text };
}

/**
 * The weekday nearest `day` in its month (Quartz's W): a Saturday moves to the Friday before, a
 * Sunday to the Monday after, but never into another month (Saturday the 1st → Monday the 3rd,
 * Sunday the last → Friday before it). Null when the month has no such day (`31W` in April).
 */
export function findNearestWeekday(weekdayOfFirst: number, day: number, lastDay: number): number | null {
  if (day > lastDay) return null;
  const weekday = (weekdayOfFirst + day - 1) % 7;
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === lastDay ? day - 2 : day + 1;
  return day;
}

function isDayOfMonthMatch(days: CronDays, day: number, lastDay: number, weekdayOfFirst: number): boolean {
  if (days.daysOfMonth.includes(day) || (days.isLastDayOfMonth && day === lastDay)) return true;
  const rule = days.dayOfMonthRule;
  if (rule === null) return false;
  if (rule.kind === "beforeLast") return day === lastDay - rule.days;
  const target = rule.kind === "lastWeekday" ? lastDay : rule.day;
  return findNearestWeekday(weekdayOfFirst, target, lastDay) === day;
}

function isDayOfWeekMatch(days: CronDays, day: number, lastDay: number, weekday: number): boolean {
  const nth = days.nthWeekday;
  if (nth !== null && weekday === nth.weekday && Math.ceil(day / 7) === nth.occurrence) return true;
  if (days.lastWeekdays.includes(weekday) && day + 7 > lastDay) return true;
  return days.daysOfWeek.includes(weekday);
}

/** True when the cron allows `day` of a month of `lastDay` days whose 1st is weekday `weekdayOfFirst`. */
function isCronDayOf(days: CronDays, day: number, lastDay: number, weekdayOfFirst: number): boolean {
  const weekday = (weekdayOfFirst + day - 1) % 7;
  const isDomMatch = isDayOfMonthMatch(days, day, lastDay, weekdayOfFirst);
  const isDowMatch = isDayOfWeekMatch(days, day, lastDay, weekday);
  return days.isDayOfMonthRestricted && days.isDayOfWeekRestricted
    ? isDomMatch || isDowMatch
    : isDomMatch && isDowMatch;
}

/**
 * True when the cron allows this calendar day (month 1–12). When day-of-month and day-of-week
 * are both restricted either one matching is enough (Vixie cron's OR, also for `L`, `W`, `#`);
 * otherwise both must match, which for an unrestricted field is always true.
 */
export function isCronDay(days: CronDays, year: number, month: number, day: number): boolean {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const weekdayOfFirst = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return isCronDayOf(days, day, lastDay, weekdayOfFirst);
}

/**
 * The first day from `fromDay` on, in a month of `lastDay` days whose 1st is weekday
 * `weekdayOfFirst`, that the cron allows ({@link isCronDay}), or null. A cron that names plain
 * days of the month and leaves the weekday free (`0 9 15 * *`, `0 9 * * *`) jumps to the next
 * one named; the others are read day by day. Finding a yearly schedule's next fire walked some
 * twenty days through Date objects, a third of a 100k load's time when every cron is different.
 */
export function findCronDayInMonth(
  days: CronDays,
  fromDay: number,
  lastDay: number,
  weekdayOfFirst: number,
): number | null {
  if (!days.isDayOfWeekRestricted && days.dayOfMonthRule === null && !days.isLastDayOfMonth) {
    const day = days.daysOfMonth.find((d) => d >= fromDay);
    return day !== undefined && day <= lastDay ? day : null;
  }
  for (let day = fromDay; day <= lastDay; day++)
    if (isCronDayOf(days, day, lastDay, weekdayOfFirst)) return day;
  return null;
}
