import type { CalendarRow } from "../db/schema.js";

/** A shared named set of dates, as hotbeat holds it: the row of `calendars`. */
export type Calendar = CalendarRow;

/** The JSON shape of a calendar in the API. */
export interface CalendarJson {
  name: string;
  description: string;
  dates: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  /** How many schedules name it. */
  usedBy: number;
}

/** Renders a row, with the count of schedules naming it, as the API's JSON. */
export function toCalendarJson(row: Calendar, usedBy: number): CalendarJson {
  return {
    name: row.name,
    description: row.description,
    dates: row.dates ?? [],
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
    usedBy,
  };
}
