// Schedules in words, for people who never read a cron man page. Mirrors the CLI's describe.ts
// (the CLI may not import the API package, and this page has no build step).

const MACROS = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const CRON_DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const isNumber = (field) => /^\d+$/.test(field);
const pad = (n) => String(n).padStart(2, "0");
const plural = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** 21600 → "6 hours", 5400 → "90 minutes". */
export function formatDuration(seconds) {
  if (seconds % 604800 === 0) return plural(seconds / 604800, "week");
  if (seconds % 86400 === 0) return plural(seconds / 86400, "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

/** The calendar parts of an instant's wall time in a zone, zero-padded, on a 24-hour clock. */
export function zonedParts(iso, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    weekday: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const get = (type) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    weekday: get("weekday"),
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
  };
}

/** An instant as wall time in a zone, weekday first: "Tue 2026-05-05 09:15". */
export function formatInZone(iso, zone, { weekday = true } = {}) {
  const p = zonedParts(iso, zone);
  const date = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  return weekday ? `${p.weekday} ${date}` : date;
}

/** "Every day at 09:15, Asia/Ho_Chi_Minh", "Every 6 hours", "Mondays at 08:00, UTC". */
export function describeSchedule(s) {
  if (s.intervalSeconds !== null && s.intervalSeconds !== undefined) {
    const every = formatDuration(s.intervalSeconds);
    return `Every ${every.startsWith("1 ") ? every.slice(2) : every}`;
  }
  if (s.runAt) return `Once, ${formatInZone(s.runAt, s.timezone)}, ${s.timezone}`;
  if (!s.cron) return "Never";
  return `${describeCron(s.cron) ?? `cron ${s.cron}`}, ${s.timezone}`;
}

/** Words for the common cron shapes; undefined when there are none. */
export function describeCron(cron) {
  const trimmed = cron.trim();
  let fields = (MACROS[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
  if (fields.length === 6) {
    if (fields[0] !== "0") return undefined;
    fields = fields.slice(1);
  }
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields;
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

function describeDays(dow) {
  const normalized = dow.toLowerCase().replace(/[a-z]{3}/g, (name) => String(CRON_DAY_NAMES.indexOf(name)));
  if (normalized.includes("-1")) return undefined;
  if (normalized === "1-5") return "Weekdays";
  if (["0,6", "6,0", "6,7", "6-7"].includes(normalized)) return "Weekends";
  const range = /^(\d)-(\d)$/.exec(normalized);
  if (range) return `${DAY_NAMES[Number(range[1])]} to ${DAY_NAMES[Number(range[2])]}`;
  if (!/^\d(,\d)*$/.test(normalized)) return undefined;
  const names = normalized.split(",").map((d) => `${DAY_NAMES[Number(d)] ?? `day ${d}`}s`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th");
  return `${n}${suffix}`;
}
