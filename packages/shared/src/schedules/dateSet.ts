import { z } from "zod";

/**
 * A set of calendar dates as people write them: single days (`2027-01-01`) and inclusive ranges in
 * ISO 8601 interval notation (`2027-12-24/2027-12-26`). Dates are days of a zone's wall calendar,
 * not instants: a schedule reads them in its own time zone.
 */
export const MAX_DATE_ENTRIES = 1000;
/** A range longer than this (ten years) is almost certainly a typo in a year. */
export const MAX_RANGE_DAYS = 3660;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number (days since 1970-01-01) of a real `YYYY-MM-DD` date, or null. */
export function toDayNumber(date: string): number | null {
  const match = DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (
    year < 1 ||
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day
  )
    return null;
  return Math.round(ms / 86_400_000);
}

/** The problem with one entry, or null when it is a real date or a well-formed range. */
export function findDateEntryProblem(entry: string): string | null {
  const parts = entry.split("/");
  if (parts.length > 2) return "must be a date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD";
  const days = parts.map(toDayNumber);
  if (days.some((day) => day === null))
    return `"${entry}" must be a real date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD`;
  const [first, last = first] = days as number[];
  if (last! < first!) return `"${entry}" ends before it starts`;
  if (last! - first! > MAX_RANGE_DAYS) return `"${entry}" spans more than ${MAX_RANGE_DAYS} days`;
  return null;
}

/** The schema of a date set field (`exclude`, a calendar's `dates`). */
export const dateSetSchema = z
  .array(
    z
      .string({ message: "must be a date string" })
      .max(21)
      .superRefine((entry, ctx) => {
        const problem = findDateEntryProblem(entry);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    { message: "must be a list of dates and ranges" },
  )
  .max(MAX_DATE_ENTRIES, `must hold at most ${MAX_DATE_ENTRIES} dates and ranges`);

/** Which entry of a set holds a date, for the reason of a skipped fire; null when none does. */
export type DateSetMatcher = (date: string) => string | null;

/** A matcher over the entries (already valid ones; an invalid entry never matches). */
export function compileDateSet(entries: readonly string[]): DateSetMatcher {
  const single = new Map<number, string>();
  const ranges: { first: number; last: number; entry: string }[] = [];
  for (const entry of entries) {
    if (findDateEntryProblem(entry) !== null) continue;
    const [first, last] = entry.split("/").map(toDayNumber) as [number, number | undefined];
    if (last === undefined) single.set(first, entry);
    else ranges.push({ first, last, entry });
  }
  return (date) => {
    const day = toDayNumber(date);
    if (day === null) return null;
    return single.get(day) ?? ranges.find((r) => r.first <= day && day <= r.last)?.entry ?? null;
  };
}
