import { extrasToForm, readExtras } from "./editorFields.js";
import { fromZonedWallTime, toZonedWallTime } from "./zonedTime.js";

// The editor's model, free of the DOM: a schedule read into the simple form a person fills in
// (daily, weekly, monthly, every N, once, raw cron) and that form turned back into API fields.

/** Days in the order the editor shows them, with their cron numbers (Sunday is 0, as in cron). */
export const WEEK = [
  ["Monday", 1],
  ["Tuesday", 2],
  ["Wednesday", 3],
  ["Thursday", 4],
  ["Friday", 5],
  ["Saturday", 6],
  ["Sunday", 0],
];

const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const pad = (n) => String(n).padStart(2, "0");

/** The fields the editor can change; everything else a PATCH leaves alone. */
export const EDITED_FIELDS = [
  "task",
  "description",
  "cron",
  "intervalSeconds",
  "runAt",
  "timezone",
  "payload",
  "misfirePolicy",
  "misfireGraceSeconds",
  "overlapPolicy",
  "jitterSeconds",
  "startAt",
  "endAt",
  "labels",
  "exclude",
  "calendars",
  "alert",
];
const INSTANT_FIELDS = new Set(["runAt", "startAt", "endAt"]);
const KINDS = ["cron", "intervalSeconds", "runAt"];

/** An empty form for a new schedule. */
export function blankForm(timezone) {
  return {
    name: "",
    task: "",
    description: "",
    mode: "daily",
    time: "09:00",
    days: [1],
    dayOfMonth: 1,
    every: 1,
    unit: "hours",
    runAtLocal: "",
    cron: "",
    timezone,
    payload: "{}",
    misfirePolicy: "run_once",
    misfireGraceSeconds: 60,
    overlapPolicy: "allow",
    jitterSeconds: 0,
    startLocal: "",
    endLocal: "",
    ...extrasToForm({}),
  };
}

/** Reads a saved schedule into the editor's form, picking the simplest mode that says it exactly. */
export function scheduleToForm(s) {
  const form = {
    ...blankForm(s.timezone),
    name: s.name,
    task: s.task,
    description: s.description ?? "",
    payload: JSON.stringify(s.payload ?? {}, null, 2),
    misfirePolicy: s.misfirePolicy ?? "run_once",
    misfireGraceSeconds: s.misfireGraceSeconds ?? 60,
    overlapPolicy: s.overlapPolicy ?? "allow",
    jitterSeconds: s.jitterSeconds ?? 0,
    startLocal: s.startAt ? toZonedWallTime(s.startAt, s.timezone) : "",
    endLocal: s.endAt ? toZonedWallTime(s.endAt, s.timezone) : "",
    ...extrasToForm(s),
  };
  if (s.intervalSeconds !== null && s.intervalSeconds !== undefined) {
    const unit =
      ["days", "hours", "minutes"].find((u) => s.intervalSeconds % UNIT_SECONDS[u] === 0) ?? "seconds";
    return { ...form, mode: "interval", every: s.intervalSeconds / UNIT_SECONDS[unit], unit };
  }
  if (s.runAt) return { ...form, mode: "once", runAtLocal: toZonedWallTime(s.runAt, s.timezone) };
  const cron = s.cron ?? "";
  const fields = cron.trim().split(/\s+/);
  const [minute, hour, dom, month, dow] = fields;
  const isNumber = (f) => /^\d+$/.test(f ?? "");
  if (
    fields.length === 5 &&
    isNumber(minute) &&
    isNumber(hour) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    month === "*"
  ) {
    const time = `${pad(hour)}:${pad(minute)}`;
    if (dom === "*" && dow === "*") return { ...form, mode: "daily", time, cron };
    const days = dom === "*" ? expandDays(dow) : undefined;
    if (days) return { ...form, mode: "weekly", time, days, cron };
    if (dow === "*" && isNumber(dom) && Number(dom) >= 1 && Number(dom) <= 31) {
      return { ...form, mode: "monthly", time, dayOfMonth: Number(dom), cron };
    }
  }
  return { ...form, mode: "cron", cron };
}

/** Days Monday first as cron writes them: three or more in a row as a range, `1-5`, the rest listed. */
function joinDays(days) {
  const parts = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j] + 1) j++;
    parts.push(j - i >= 2 ? `${days[i]}-${days[j]}` : days.slice(i, j + 1).join(","));
    i = j + 1;
  }
  return parts.join(",");
}

/** "1,5" or "1-5" → [1, 5] / [1, 2, 3, 4, 5] (7 read as 0); undefined for anything richer. */
function expandDays(dow) {
  if (!/^[0-7]([,-][0-7])*$/.test(dow ?? "")) return undefined;
  const days = new Set();
  for (const part of dow.split(",")) {
    const [from, to = from] = part.split("-").map(Number);
    if (to < from || part.split("-").length > 2) return undefined;
    for (let d = from; d <= to; d++) days.add(d % 7);
  }
  return [...days];
}

/**
 * The API fields a form stands for: exactly one of cron, intervalSeconds, runAt, plus the zone
 * and the rest. Returns `{ fields }` or `{ error: { field, message } }` for what cannot be sent yet.
 */
export function formToFields(form) {
  const fields = { task: form.task.trim(), description: form.description, timezone: form.timezone };
  let payload;
  try {
    payload = JSON.parse(form.payload || "{}");
  } catch {
    return { error: { field: "payload", message: "is not valid JSON" } };
  }
  fields.payload = payload;
  const advanced = readAdvanced(form);
  if (advanced.error) return advanced;
  Object.assign(fields, advanced.fields);
  const extras = readExtras(form);
  if (extras.error) return extras;
  Object.assign(fields, extras.fields);
  const time = /^(\d{1,2}):(\d{2})$/.exec(form.time ?? "");
  const needsTime = ["daily", "weekly", "monthly"].includes(form.mode);
  if (needsTime && !time) return { error: { field: "time", message: "pick a time" } };
  const [h, m] = time ? [Number(time[1]), Number(time[2])] : [0, 0];
  switch (form.mode) {
    case "daily":
      return { fields: { ...fields, cron: `${m} ${h} * * *` } };
    case "weekly": {
      if (form.days.length === 0) return { error: { field: "days", message: "pick at least one day" } };
      const order = WEEK.map(([, n]) => n);
      const days = [...form.days].sort((a, b) => order.indexOf(a) - order.indexOf(b));
      return { fields: { ...fields, cron: `${m} ${h} * * ${joinDays(days)}` } };
    }
    case "monthly": {
      const dom = Number(form.dayOfMonth);
      if (!Number.isInteger(dom) || dom < 1 || dom > 31)
        return { error: { field: "dayOfMonth", message: "must be 1 to 31" } };
      return { fields: { ...fields, cron: `${m} ${h} ${dom} * *` } };
    }
    case "interval": {
      const every = Number(form.every);
      if (!Number.isInteger(every) || every < 1)
        return { error: { field: "every", message: "must be a whole number, 1 or more" } };
      return { fields: { ...fields, intervalSeconds: every * UNIT_SECONDS[form.unit] } };
    }
    case "once": {
      if (!form.runAtLocal) return { error: { field: "runAt", message: "pick a date and time" } };
      return { fields: { ...fields, runAt: fromZonedWallTime(form.runAtLocal, form.timezone) } };
    }
    default:
      if (!form.cron.trim()) return { error: { field: "cron", message: "type a cron expression" } };
      return { fields: { ...fields, cron: form.cron.trim() } };
  }
}

/** Misfire, overlap, jitter and the start/end window; absent from an older form, left alone. */
function readAdvanced(form) {
  if (form.misfirePolicy === undefined) return { fields: {} };
  const fields = { misfirePolicy: form.misfirePolicy, overlapPolicy: form.overlapPolicy };
  for (const key of ["misfireGraceSeconds", "jitterSeconds"]) {
    const value = Number(form[key]);
    if (String(form[key]).trim() === "" || !Number.isInteger(value) || value < 0)
      return { error: { field: key, message: "must be a whole number of seconds, 0 or more" } };
    fields[key] = value;
  }
  fields.startAt = form.startLocal ? fromZonedWallTime(form.startLocal, form.timezone) : null;
  fields.endAt = form.endLocal ? fromZonedWallTime(form.endLocal, form.timezone) : null;
  return { fields };
}

/** What a save would change against the saved schedule: `[{ field, from, to }]`. */
export function diffFields(saved, fields) {
  const changes = [];
  for (const field of EDITED_FIELDS) {
    const isKind = KINDS.includes(field);
    const to = isKind ? (fields[field] ?? null) : fields[field];
    const from = saved[field] ?? null;
    if (to === undefined) continue;
    const same =
      INSTANT_FIELDS.has(field) && from && to
        ? Date.parse(from) === Date.parse(to)
        : toCanonicalJson(from) === toCanonicalJson(to);
    if (!same) changes.push({ field, from, to });
  }
  return changes;
}

/** JSON with object keys sorted: labels typed in another order are the same labels. */
function toCanonicalJson(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toCanonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${toCanonicalJson(value[key])}`).join(",")}}`;
}

/** The body of a PATCH: only the changed fields (setting one kind clears the others; a cleared window is null). */
export function toPatch(changes) {
  return Object.fromEntries(
    changes.filter((c) => c.to !== null || !KINDS.includes(c.field)).map((c) => [c.field, c.to]),
  );
}
