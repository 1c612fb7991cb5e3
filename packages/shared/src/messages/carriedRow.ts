import { getTableColumns } from "drizzle-orm";
import { schedules } from "../db/schema.js";
import type { Schedule } from "../schedules/model.js";
import type { ScheduleUpdateMessage } from "./scheduleUpdate.js";

const COLUMNS = Object.keys(getTableColumns(schedules)) as (keyof Schedule)[];
const INSTANT_COLUMNS = Object.entries(getTableColumns(schedules))
  .filter(([, column]) => column.dataType === "date")
  .map(([key]) => key as keyof Schedule);

/**
 * Above this size (a large payload) a message names the change without carrying the row: Redis
 * copies every message to every subscriber, and the scheduler can read a large row back.
 */
const MAX_CARRIED_ROW_CHARS = 8 * 1024;

/**
 * The row a message carries: the schedule exactly as the committed write returned it, so a
 * scheduler of the same deployment can apply it without reading it back. Undefined when the row
 * is too large to carry.
 */
export function toCarriedRow(row: Schedule): Record<string, unknown> | undefined {
  const carried = Object.fromEntries(COLUMNS.map((key) => [key, row[key]]));
  return JSON.stringify(carried).length > MAX_CARRIED_ROW_CHARS ? undefined : carried;
}

/**
 * The schedule a message carries, when it is one this scheduler may apply as it is: published by
 * its own deployment (the channel is shared by every deployment on a Redis), at the message's
 * version, with every column, naming no calendar (their dates are read with the row). Undefined
 * otherwise: the row is then read back from PostgreSQL.
 */
export function readCarriedRow(message: ScheduleUpdateMessage, namespace: string): Schedule | undefined {
  const carried = message.row;
  if (message.op !== "upsert" || message.namespace !== namespace || carried === undefined) return undefined;
  if (carried.name !== message.name || carried.version !== message.version) return undefined;
  if (!COLUMNS.every((key) => Object.hasOwn(carried, key))) return undefined;
  if (!Array.isArray(carried.calendars) || carried.calendars.length > 0) return undefined;
  const row: Record<string, unknown> = { ...carried };
  for (const key of INSTANT_COLUMNS) {
    const value = carried[key];
    if (value === null) continue;
    if (typeof value !== "string") return undefined;
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) return undefined;
    row[key] = at;
  }
  return row as Schedule;
}
