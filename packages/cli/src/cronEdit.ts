import { expandCronMacro } from "@hotbeat/cron-macros";
import { UsageError } from "./errors.js";

const DAY_NUMBERS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

export interface CronEdit {
  hour?: number | undefined;
  minute?: number | undefined;
  /** A cron day-of-week field, as {@link parseDays} returns it. */
  days?: string | undefined;
}

/**
 * Reads `--days`: names (`mon,fri`, `monday`), ranges (`mon-fri`), `weekdays`, `weekends` or
 * `daily`, into a cron day-of-week field (`1,5`, `1-5`, `*`). Numbers are refused on purpose:
 * whether 0 is Sunday (cron) or Monday (the older API) is the trap this CLI keeps people out of.
 */
export function parseDays(text: string): string {
  const lowered = text.trim().toLowerCase();
  if (lowered === "daily" || lowered === "every" || lowered === "*") return "*";
  if (lowered === "weekdays") return "1-5";
  if (lowered === "weekends") return "0,6";
  const parts = lowered
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) throw new UsageError(`--days: give day names such as mon,fri or mon-fri`);
  const fields = parts.map((part) => {
    const [from, to, extra] = part.split("-");
    if (extra !== undefined) throw new UsageError(`--days: "${part}" is not a day or a range of days`);
    const start = dayNumber(from ?? "");
    return to === undefined ? String(start) : `${start}-${dayNumber(to)}`;
  });
  return fields.join(",");
}

function dayNumber(name: string): number {
  const n = DAY_NUMBERS[name];
  if (n === undefined) {
    throw new UsageError(`--days: "${name}" is not a day name; use mon tue wed thu fri sat sun`);
  }
  return n;
}

/** Reads an integer option within bounds, or throws a UsageError naming it. */
export function parseBoundedInt(text: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${option}: "${text}" is not a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${option}: ${n} is outside ${min}–${max}`);
  return n;
}

/**
 * Changes the hour, minute and/or days of a cron expression and keeps every other part:
 * `--hour 9` on `15 7 * * 1` gives `15 9 * * 1`. A six-field cron keeps its seconds; a macro
 * (`@daily`) is expanded first. Without a cron to start from, the result is a daily job at the
 * given time (minute and hour default to 0).
 */
export function applyCronEdit(cron: string | null, edit: CronEdit): string {
  const fields = cron === null ? ["0", "0", "*", "*", "*"] : splitCron(cron);
  const offset = fields.length === 6 ? 1 : 0;
  if (edit.minute !== undefined) fields[offset] = String(edit.minute);
  if (edit.hour !== undefined) fields[offset + 1] = String(edit.hour);
  if (edit.days !== undefined) fields[offset + 4] = edit.days;
  return fields.join(" ");
}

function splitCron(cron: string): string[] {
  const fields = expandCronMacro(cron).split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new UsageError(`the stored cron "${cron}" has ${fields.length} fields; use --cron to replace it`);
  }
  return fields;
}
