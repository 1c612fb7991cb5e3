import { DateTime } from "luxon";
import { parseCron, type ParsedCron } from "./cron.js";
import { describeCronDays, joinWords } from "./describeCronDays.js";

/** What the words need of a schedule: a ScheduleTiming or the API's JSON both fit. */
export interface DescribableTiming {
  /** What a cron `H` is hashed from, so the words give the minute it really fires at. */
  readonly name?: string;
  readonly cron: string | null;
  readonly intervalSeconds: number | null;
  readonly runAt: Date | string | null;
  readonly timezone: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const plural = (n: number, unit: string) => (n === 1 ? unit : `${n} ${unit}s`);
const isStep = (field: string) => /^\*\/\d+$/.test(field);
const stepOf = (field: string) => Number(field.slice(2));

/** 21600 → "6 hours", 3600 → "hour", 5400 → "90 minutes": what follows "every". */
function formatEvery(seconds: number): string {
  for (const [unit, size] of [
    ["week", 604_800],
    ["day", 86_400],
    ["hour", 3600],
    ["minute", 60],
  ] as const) {
    if (seconds % size === 0) return plural(seconds / size, unit);
  }
  return plural(seconds, "second");
}

const formatTime = (hour: number, minute: number, second: number) =>
  `${pad(hour)}:${pad(minute)}${second === 0 ? "" : `:${pad(second)}`}`;

/**
 * The time-of-day words: fixed times ("at 09:15") want day words after them ("every day"),
 * repeating ones ("every 15 minutes") stand alone. Null when the shape has no plain words.
 */
function describeCronTimes(cron: ParsedCron): { text: string; isFixed: boolean } | null {
  const { fields, seconds, minutes, hours } = cron;
  const [second] = seconds;
  const [minute] = minutes;
  if (fields.minute === "*" && fields.hour === "*") {
    if (fields.second === "*") return { text: "every second", isFixed: false };
    if (isStep(fields.second))
      return { text: `every ${plural(stepOf(fields.second), "second")}`, isFixed: false };
    if (second === 0) return { text: "every minute", isFixed: false };
  }
  if (seconds.length !== 1 || second === undefined) return null;
  if (fields.hour === "*" && second === 0) {
    if (isStep(fields.minute))
      return { text: `every ${plural(stepOf(fields.minute), "minute")}`, isFixed: false };
    if (minutes.length <= 4) {
      const at =
        minute === 0 && minutes.length === 1 ? "" : ` at ${joinWords(minutes.map((m) => `:${pad(m)}`))}`;
      return { text: `every hour${at}`, isFixed: false };
    }
  }
  if (minutes.length !== 1 || minute === undefined) {
    const range = /^(\d+)-(\d+)$/.exec(fields.hour);
    if (second !== 0 || (fields.minute !== "*" && !isStep(fields.minute)) || range === null) return null;
    const every = fields.minute === "*" ? "every minute" : `every ${plural(stepOf(fields.minute), "minute")}`;
    const [first = 0, last = 0] = [minutes[0], minutes.at(-1)];
    const from = formatTime(hours[0] ?? 0, first, 0);
    return { text: `${every} from ${from} to ${formatTime(hours.at(-1) ?? 0, last, 0)}`, isFixed: false };
  }
  if (isStep(fields.hour)) {
    const at =
      minute === 0 && second === 0 ? "" : ` at :${pad(minute)}${second === 0 ? "" : `:${pad(second)}`}`;
    return { text: `every ${plural(stepOf(fields.hour), "hour")}${at}`, isFixed: false };
  }
  if (hours.length > 8) return null;
  return { text: `at ${joinWords(hours.map((h) => formatTime(h, minute, second)))}`, isFixed: true };
}

/**
 * A cron expression in words, zone not included: "at 18:00 on the last Friday of the month",
 * "every 6 hours", "at 09:15 every day". Null for shapes it has no plain words for.
 */
export function describeCron(cron: ParsedCron): string | null {
  const times = describeCronTimes(cron);
  const days = describeCronDays(cron);
  if (times === null || days === null) return null;
  if (days === "") return times.isFixed ? `${times.text} every day` : times.text;
  // Only months are restricted ("from March to October"): a fixed time still fires every day.
  const everyDay = times.isFixed && !days.startsWith("on ") ? "every day " : "";
  return `${times.text} ${everyDay}${days}`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A schedule in words, as the page and the CLI show it: "At 09:15 every day, Asia/Ho_Chi_Minh",
 * "At 18:00 on the last Friday of the month, Europe/Berlin", "Every 6 hours",
 * "Once, at 2027-01-01 09:00, Asia/Ho_Chi_Minh". A cron shape without plain words comes back as
 * "Cron <expression>, <zone>"; an `H` is shown as the values the name hashes to.
 */
export function describeSchedule(timing: DescribableTiming): string {
  if (timing.intervalSeconds !== null) return `Every ${formatEvery(timing.intervalSeconds)}`;
  if (timing.runAt !== null) {
    const at =
      typeof timing.runAt === "string" ? DateTime.fromISO(timing.runAt) : DateTime.fromJSDate(timing.runAt);
    const local = at.setZone(timing.timezone).toFormat("yyyy-MM-dd HH:mm");
    return `Once, at ${local}, ${timing.timezone}`;
  }
  if (timing.cron === null) return "Never";
  let words: string | null;
  try {
    words = describeCron(parseCron(timing.cron, timing.name));
  } catch {
    // An invalid expression (a row edited by SQL) is shown as written rather than refused.
    words = null;
  }
  return `${capitalize(words ?? `cron ${timing.cron.trim()}`)}, ${timing.timezone}`;
}
