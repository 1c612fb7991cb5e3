import { AppError, expandCronMacro, type Schedule } from "@hotbeat/shared";

/** The body of the older `POST /update_schedule/:name`. */
export interface LegacyUpdate {
  hour?: number | undefined;
  minute?: number | undefined;
  interval?: number | undefined;
  day_of_week?: number | string | undefined;
  enabled?: boolean | undefined;
}

const DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/**
 * One day as the older API documented it, to a cron day-of-week. That API counted 0 = Monday …
 * 6 = Sunday (Python's `weekday()`), where cron has 0 = Sunday, 1 = Monday: passing its numbers
 * through unchanged would move a Monday job to Sunday.
 */
export function toCronDay(day: number | string): number {
  const text = String(day).trim().toLowerCase();
  if (/^\d+$/.test(text)) {
    const legacy = Number(text);
    if (legacy > 6) throw invalid("day_of_week", "numbers run from 0 (Monday) to 6 (Sunday)");
    return (legacy + 1) % 7;
  }
  const index = DAY_NAMES.findIndex((name) => name === text || name.slice(0, 3) === text);
  if (index === -1)
    throw invalid(
      "day_of_week",
      `"${day}" is not a day; use monday … sunday, mon … sun, or 0 (Monday) … 6 (Sunday)`,
    );
  return (index + 1) % 7;
}

/** `day_of_week` as a cron field: one day, or a comma-separated list of them. */
function toCronDayField(value: number | string): string {
  const days = typeof value === "number" ? [value] : value.split(",");
  return [...new Set(days.map(toCronDay))].join(",");
}

/**
 * Turns an older-API update into a PATCH of the current schedule. `hour` and `minute` edit the
 * schedule's cron and keep its other fields; a schedule without a cron (interval or one-off)
 * gets `M H * * *`, with 0 for a missing minute and `*` for a missing hour. `interval` switches
 * the schedule to an interval in seconds.
 */
export function toLegacyPatch(current: Schedule, update: LegacyUpdate): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (update.enabled !== undefined) patch.enabled = update.enabled;
  const touchesCron =
    update.hour !== undefined || update.minute !== undefined || update.day_of_week !== undefined;
  if (update.interval !== undefined) {
    if (touchesCron) throw invalid("interval", "cannot be combined with hour, minute or day_of_week");
    patch.intervalSeconds = update.interval;
    return patch;
  }
  if (!touchesCron) return patch;

  const fields = current.cron ? splitCron(current.cron) : ["0", "*", "*", "*", "*"];
  // Six fields carry seconds first; the older API knew only minutes and hours.
  const offset = fields.length === 6 ? 1 : 0;
  if (update.minute !== undefined) fields[offset] = String(update.minute);
  if (update.hour !== undefined) fields[offset + 1] = String(update.hour);
  if (update.day_of_week !== undefined) fields[offset + 4] = toCronDayField(update.day_of_week);
  patch.cron = fields.join(" ");
  return patch;
}

function splitCron(cron: string): string[] {
  return expandCronMacro(cron).split(/\s+/);
}

function invalid(field: string, message: string): AppError {
  return new AppError("invalid", `${field}: ${message}`, [{ field, message }]);
}
