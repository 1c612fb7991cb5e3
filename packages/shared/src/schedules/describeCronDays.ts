import type { ParsedCron } from "./cron.js";

const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const OCCURRENCES = ["first", "second", "third", "fourth", "fifth"];
/** Longer lists than this read worse than the expression itself. */
const MAX_LISTED = 6;

/** 1 → "1st", 22 → "22nd", 13 → "13th". */
export function formatOrdinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** "a, b and c" (or "a or b"). */
export function joinWords(words: readonly string[], conjunction = "and"): string {
  return words.length <= 1
    ? (words[0] ?? "")
    : `${words.slice(0, -1).join(", ")} ${conjunction} ${words.at(-1)}`;
}

const isRange = (field: string) => /^[^,/]+-[^,/]+$/.test(field);

/** The day-of-month words without "of the month": "the 1st and 15th", "the last weekday". */
function describeDaysOfMonth(cron: ParsedCron): string | null {
  const rule = cron.dayOfMonthRule;
  if (rule?.kind === "nearestWeekday") return `the weekday nearest the ${formatOrdinal(rule.day)}`;
  if (rule?.kind === "lastWeekday") return "the last weekday";
  if (rule?.kind === "beforeLast") return `the ${formatOrdinal(rule.days + 1)}-to-last day`;
  const days = cron.daysOfMonth;
  if (isRange(cron.fields.dayOfMonth) && days.length > 1) {
    return `days ${days[0]} to ${days.at(-1)}`;
  }
  if (days.length > MAX_LISTED) return null;
  const words = days.map(formatOrdinal);
  if (cron.isLastDayOfMonth) words.push(words.length === 0 ? "last day" : "the last day");
  return `the ${joinWords(words)}`;
}

/** Plain weekdays: "weekdays", "weekends", "Mondays and Thursdays", "Tuesday to Thursday". */
function describeWeekdays(weekdays: readonly number[], field: string): string | null {
  const key = weekdays.join(",");
  if (key === "1,2,3,4,5") return "weekdays";
  if (key === "0,6") return "weekends";
  if (/^\w+-\w+$/.test(field) && weekdays.length > 2) {
    // Ranges are written Monday-first; a range ending on Sunday (5-7) reads as Friday to Sunday.
    const ordered = weekdays[0] === 0 ? [...weekdays.slice(1), 0] : weekdays;
    return `${WEEKDAY_NAMES[ordered[0]!]} to ${WEEKDAY_NAMES[ordered.at(-1)!]}`;
  }
  return joinWords(weekdays.map((day) => `${WEEKDAY_NAMES[day]}s`));
}

/** The day-of-week words: "on Mondays", "on the last Friday of the month". */
function describeDaysOfWeek(cron: ParsedCron, ofMonth: string): string {
  const nth = cron.nthWeekday;
  if (nth !== null)
    return `on the ${OCCURRENCES[nth.occurrence - 1]} ${WEEKDAY_NAMES[nth.weekday]}${ofMonth}`;
  const plain = cron.daysOfWeek.length > 0 ? describeWeekdays(cron.daysOfWeek, cron.fields.dayOfWeek) : null;
  const last = cron.lastWeekdays.map((day) => `the last ${WEEKDAY_NAMES[day]}`);
  if (last.length === 0) return `on ${plain}`;
  return `on ${joinWords([...(plain === null ? [] : [plain]), ...last])}${ofMonth}`;
}

/** "in January", "in January and July", "from March to October"; null for long lists. */
function describeMonths(cron: ParsedCron): string | null {
  const months = cron.months;
  if (isRange(cron.fields.month) && months.length > 2) {
    return `from ${MONTH_NAMES[months[0]! - 1]} to ${MONTH_NAMES[months.at(-1)! - 1]}`;
  }
  if (months.length > MAX_LISTED) return null;
  return `in ${joinWords(months.map((month) => MONTH_NAMES[month - 1]!))}`;
}

/**
 * The day words of a cron: "" for every day, else "on the last Friday of the month",
 * "on the 1st of January", "on the last day of the month or on Mondays" (both day fields
 * restricted: either fires). Null for shapes with no plain words.
 */
export function describeCronDays(cron: ParsedCron): string | null {
  const isEveryMonth = cron.months.length === 12;
  const singleMonth = cron.months.length === 1 ? MONTH_NAMES[cron.months[0]! - 1] : undefined;
  const ofMonth = singleMonth === undefined ? " of the month" : ` of ${singleMonth}`;
  const parts: string[] = [];
  if (cron.isDayOfMonthRestricted) {
    const days = describeDaysOfMonth(cron);
    if (days === null) return null;
    parts.push(`on ${days}${ofMonth}`);
  }
  // A weekday field naming all seven days (0-6) restricts nothing worth a word.
  if (cron.isDayOfWeekRestricted && cron.daysOfWeek.length < 7) parts.push(describeDaysOfWeek(cron, ofMonth));
  const usesMonthName = singleMonth !== undefined && parts.some((part) => part.endsWith(ofMonth));
  if (isEveryMonth || usesMonthName) return joinWords(parts, "or");
  const months = describeMonths(cron);
  if (months === null) return null;
  return [joinWords(parts, "or"), months].filter((part) => part !== "").join(" ");
}
