import { eq, ilike, or, type SQL } from "drizzle-orm";
import { schedules } from "../db/schema.js";
import { parseLabelSelector, toLabelConditions } from "./labelSelector.js";

/** The filters of a list that PostgreSQL can apply; health is the one it cannot. */
export interface ListFilters {
  enabled?: boolean;
  task?: string;
  /** Searched in name and description, case-insensitively, as plain text (no wildcards). */
  q?: string;
  /**
   * Label selectors, all ANDed, each a comma list of `key=value`, `key!=value`, `key`, `!key`
   * (kubectl's syntax); a bad one is an `invalid` error naming `label`.
   */
  labelSelector?: readonly string[];
}

/** `%`, `_` and `\` are LIKE's own characters: a search for "50%" means those three characters. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE conditions of `filters`, to AND. */
export function buildListConditions(filters: ListFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.enabled !== undefined) conditions.push(eq(schedules.enabled, filters.enabled));
  if (filters.task !== undefined) conditions.push(eq(schedules.task, filters.task));
  if (filters.q !== undefined && filters.q.trim() !== "") {
    const pattern = `%${escapeLike(filters.q.trim())}%`;
    conditions.push(or(ilike(schedules.name, pattern), ilike(schedules.description, pattern))!);
  }
  if (filters.labelSelector !== undefined)
    conditions.push(...toLabelConditions(parseLabelSelector(filters.labelSelector)));
  return conditions;
}

/** The columns the list reads of every matching row to order it by next run (no payload). */
export const listedTimingColumns = {
  name: schedules.name,
  version: schedules.version,
  enabled: schedules.enabled,
  cron: schedules.cron,
  intervalSeconds: schedules.intervalSeconds,
  runAt: schedules.runAt,
  timezone: schedules.timezone,
  startAt: schedules.startAt,
  endAt: schedules.endAt,
  intervalAnchorAt: schedules.intervalAnchorAt,
  exclude: schedules.exclude,
  calendars: schedules.calendars,
};
