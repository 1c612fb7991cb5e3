import { readFile } from "node:fs/promises";
import { applyCronEdit, parseBoundedInt, parseDays } from "./cronEdit.js";
import { parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";
import type { OptionValues } from "./args.js";

/** The timing options `create` and `set` share. */
export const TIMING_OPTIONS = {
  cron: { type: "string" },
  every: { type: "string" },
  interval: { type: "string" },
  at: { type: "string" },
  tz: { type: "string" },
  payload: { type: "string" },
  description: { type: "string" },
  note: { type: "string" },
} as const;

export const TIMING_HELP = [
  "--cron EXPR          a cron expression (5 fields, or 6 with seconds first)",
  "--every DURATION     an interval: 90s, 15m, 6h, 1d, 1h30m",
  "--interval SECONDS   an interval in seconds",
  "--at ISO             once, at this instant (ISO 8601 with offset)",
  "--tz ZONE            IANA time zone the cron is read in (e.g. Asia/Ho_Chi_Minh)",
  "--payload JSON|@FILE the JSON handed to the task",
  "--description TEXT   what the schedule is for",
  "--note TEXT          recorded in the history beside this change",
];

/**
 * The schedule kind named on the command line, as API fields: at most one of --cron, --every,
 * --interval, --at. Pure: throws UsageError when they clash or do not parse.
 */
export function readKindOptions(values: OptionValues, command: string): Record<string, unknown> {
  const given = (["cron", "every", "interval", "at"] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) {
    throw new UsageError(
      `${given.map((k) => `--${k}`).join(" and ")} exclude each other: a schedule has one kind`,
      command,
    );
  }
  if (values.cron !== undefined) return { cron: String(values.cron) };
  if (values.every !== undefined) return { intervalSeconds: parseDuration(String(values.every), "--every") };
  if (values.interval !== undefined)
    return { intervalSeconds: parseDuration(String(values.interval), "--interval") };
  if (values.at !== undefined) {
    const at = String(values.at);
    if (Number.isNaN(Date.parse(at)))
      throw new UsageError(`--at: "${at}" is not an ISO 8601 instant`, command);
    return { runAt: at };
  }
  return {};
}

/**
 * The cron a `set --hour/--minute/--days` makes of the stored one, keeping its other fields.
 * Pure: undefined when none of the three was given.
 */
export function readCronEdit(values: OptionValues, storedCron: string | null): string | undefined {
  const hour = values.hour === undefined ? undefined : parseBoundedInt(String(values.hour), "--hour", 0, 23);
  const minute =
    values.minute === undefined ? undefined : parseBoundedInt(String(values.minute), "--minute", 0, 59);
  const days = values.days === undefined ? undefined : parseDays(String(values.days));
  if (hour === undefined && minute === undefined && days === undefined) return undefined;
  return applyCronEdit(storedCron, { hour, minute, days });
}

/** Reads --payload: inline JSON, or `@path` to a JSON file. */
export async function readPayload(text: string, command: string): Promise<unknown> {
  let source = text;
  if (text.startsWith("@")) {
    try {
      source = await readFile(text.slice(1), "utf8");
    } catch (error) {
      throw new UsageError(`--payload: cannot read ${text.slice(1)}: ${(error as Error).message}`, command);
    }
  }
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new UsageError(`--payload is not valid JSON: ${(error as Error).message}`, command);
  }
}
