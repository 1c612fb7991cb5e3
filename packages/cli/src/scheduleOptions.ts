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

/**
 * The fields `create` and `set` read alike, each only when its option is given: the zone, the
 * description, the payload, the excluded dates and the calendars.
 */
export async function readSharedFields(
  values: OptionValues,
  command: string,
): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  if (values.tz !== undefined) fields.timezone = values.tz;
  if (values.description !== undefined) fields.description = values.description;
  if (values.payload !== undefined) fields.payload = await readPayload(String(values.payload), command);
  const exclude = readListOption(values.exclude);
  if (exclude) fields.exclude = exclude;
  const calendars = readListOption(values.calendar);
  if (calendars) fields.calendars = calendars;
  return fields;
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

/** The label, exclusion and calendar options `create` and `set` share. */
export const SCHEDULE_FIELD_OPTIONS = {
  label: { type: "string", multiple: true },
  exclude: { type: "string" },
  calendar: { type: "string", multiple: true },
} as const;

export const SCHEDULE_FIELD_HELP = [
  "--label KEY=VALUE    a label (repeatable); with set, KEY- removes one",
  "--exclude DATES      dates and ranges not fired on, in its zone: 2027-01-01,2027-12-24/2027-12-26",
  '                     (with set it replaces the list; "" for none)',
  "--calendar NAME      a shared calendar whose dates it skips (repeatable or comma separated;",
  '                     with set it replaces the list; "" for none)',
];

/** The `-l/--label SELECTOR` option of list, export and import. */
export const SELECTOR_OPTION = { label: { type: "string", short: "l", multiple: true } } as const;
export const SELECTOR_HELP =
  "-l, --label SEL  only schedules matching the label selector: team=finance, team!=ops, owner, !legacy (repeat or comma-separate to AND them)";

/** What `--label` asks of a schedule's labels: keys to set, keys to remove. */
export interface LabelEdits {
  set: Record<string, string>;
  remove: string[];
}

const asList = (value: OptionValues[string]): string[] =>
  value === undefined || typeof value === "boolean" ? [] : [value].flat();

/**
 * Reads `--label k=v` (and, for set, `--label k-`, kubectl's way of removing one). Pure;
 * undefined when no --label was given. The API checks the keys and values themselves.
 */
export function readLabelEdits(values: OptionValues, command: string): LabelEdits | undefined {
  const given = asList(values.label);
  if (given.length === 0) return undefined;
  const edits: LabelEdits = { set: {}, remove: [] };
  for (const text of given) {
    const equals = text.indexOf("=");
    if (equals > 0) edits.set[text.slice(0, equals)] = text.slice(equals + 1);
    else if (equals === -1 && text.endsWith("-") && text.length > 1 && command === "set")
      edits.remove.push(text.slice(0, -1));
    else
      throw new UsageError(
        `--label: "${text}" is not KEY=VALUE${command === "set" ? " or KEY- (to remove it)" : ""}`,
        command,
      );
  }
  return edits;
}

/** The labels a schedule has after `edits`. */
export function applyLabelEdits(
  current: Readonly<Record<string, string>>,
  edits: LabelEdits,
): Record<string, string> {
  const next: Record<string, string> = { ...current, ...edits.set };
  for (const key of edits.remove) delete next[key];
  return next;
}

/**
 * A comma-separated list option, possibly repeated, as a list: `a,b` and `--x a --x b` alike, an
 * empty value meaning none. Undefined when the option was not given.
 */
export function readListOption(value: OptionValues[string]): string[] | undefined {
  if (value === undefined || typeof value === "boolean") return undefined;
  return [value]
    .flat()
    .flatMap((part) => part.split(","))
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** `-l` values as one selector for `?label=`: a comma list is an AND, as repeating it is. */
export function readSelectorOption(values: OptionValues): string | undefined {
  const given = asList(values.label);
  return given.length === 0 ? undefined : given.join(",");
}
