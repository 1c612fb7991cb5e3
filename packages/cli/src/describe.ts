import { CRON_MACROS } from "./cronMacros.js";
import { formatDuration } from "./duration.js";

/** The timing fields of a schedule, as the API sends them. */
export interface TimingJson {
  cron: string | null;
  intervalSeconds: number | null;
  runAt: string | null;
  timezone: string;
}

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const CRON_DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const isNumber = (field: string) => /^\d+$/.test(field);
const pad = (n: string | number) => String(n).padStart(2, "0");

/**
 * Says when a schedule fires, in words a person reads without a cron man page:
 * "Every day at 09:15, Asia/Ho_Chi_Minh", "Every 6 hours", "Mondays at 08:00, UTC".
 * Shapes it has no words for come back as "cron <expression>, <zone>".
 */
export function describeSchedule(
  timing: TimingJson,
  formatInstant?: (iso: string, zone: string) => string,
): string {
  if (timing.intervalSeconds !== null) {
    const every = formatDuration(timing.intervalSeconds);
    return `Every ${every.startsWith("1 ") ? every.slice(2) : every}`;
  }
  if (timing.runAt !== null) {
    const when = formatInstant ? formatInstant(timing.runAt, timing.timezone) : timing.runAt;
    return `Once, ${when}, ${timing.timezone}`;
  }
  if (timing.cron === null) return "Never";
  return `${describeCron(timing.cron) ?? `cron ${timing.cron}`}, ${timing.timezone}`;
}

/** Words for the common cron shapes; undefined when it has none. */
export function describeCron(cron: string): string | undefined {
  const trimmed = cron.trim();
  let fields = (CRON_MACROS[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
  if (fields.length === 6) {
    if (fields[0] !== "0") return undefined;
    fields = fields.slice(1);
  }
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (month !== "*") return undefined;
  if (isNumber(minute) && isNumber(hour)) {
    const time = `${pad(hour)}:${pad(minute)}`;
    if (dom === "*" && dow === "*") return `Every day at ${time}`;
    if (dom === "*") {
      const days = describeDays(dow);
      return days && `${days} at ${time}`;
    }
    if (dow === "*" && isNumber(dom)) return `Monthly on the ${ordinal(Number(dom))} at ${time}`;
    return undefined;
  }
  if (dom !== "*" || dow !== "*") return undefined;
  if (isNumber(minute) && /^\d+(,\d+)+$/.test(hour)) {
    const times = hour.split(",").map((h) => `${pad(h)}:${pad(minute)}`);
    return `Every day at ${times.slice(0, -1).join(", ")} and ${times.at(-1)}`;
  }
  if (hour === "*") {
    if (minute === "*") return "Every minute";
    const step = /^\*\/(\d+)$/.exec(minute)?.[1];
    if (step) return step === "1" ? "Every minute" : `Every ${step} minutes`;
    if (isNumber(minute)) return minute === "0" ? "Every hour" : `Every hour at :${pad(minute)}`;
  }
  const hourStep = /^\*\/(\d+)$/.exec(hour)?.[1];
  if (hourStep && isNumber(minute)) {
    const every = hourStep === "1" ? "Every hour" : `Every ${hourStep} hours`;
    return minute === "0" ? every : `${every} at :${pad(minute)}`;
  }
  return undefined;
}

function describeDays(dow: string): string | undefined {
  const normalized = dow.toLowerCase().replace(/[a-z]{3}/g, (name) => String(CRON_DAY_NAMES.indexOf(name)));
  if (normalized.includes("-1")) return undefined;
  if (normalized === "1-5") return "Weekdays";
  if (["0,6", "6,0", "6,7", "6-7"].includes(normalized)) return "Weekends";
  const range = /^(\d)-(\d)$/.exec(normalized);
  if (range) return `${dayName(range[1])} to ${dayName(range[2])}`;
  if (!/^\d(,\d)*$/.test(normalized)) return undefined;
  const names = normalized.split(",").map((d) => `${dayName(d)}s`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const dayName = (digit: string | undefined) => DAY_NAMES[Number(digit)] ?? `day ${digit}`;

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13
      ? "th"
      : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
}
