import type { CommandSpec, OptionValues } from "./args.js";
import { formatFireTimes, formatWarnings } from "./format.js";
import type { ApiClient } from "./http.js";
import type { FireTimeJson, ScheduleAnswerJson } from "./types.js";

/** Where the CLI writes; `process.stdout` and `process.stderr` fit, tests pass collectors. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface CommandContext {
  client: ApiClient;
  /** --json: print machine-readable output only. */
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  printJson(value: unknown): void;
}

export interface CommandArgs {
  positionals: string[];
  values: OptionValues;
}

/** A command: what it accepts, and what it does; returns the exit code (0 when omitted). */
export interface Command extends CommandSpec {
  run(ctx: CommandContext, args: CommandArgs): Promise<number | void>;
}

export const schedulePath = (name: string) => `/api/v1/schedules/${encodeURIComponent(name)}`;

/** What the API answers to a write: the schedule and any warnings. */
export interface WriteAnswer {
  schedule: ScheduleAnswerJson;
  warnings?: string[];
}

/** Reads the list of fire times out of a preview answer. */
export function readFireTimes(body: unknown): FireTimeJson[] {
  if (Array.isArray(body)) return body as FireTimeJson[];
  const wrapped = body as Record<string, unknown> | undefined;
  for (const key of ["fireTimes", "next", "items", "preview"]) {
    if (Array.isArray(wrapped?.[key])) return wrapped[key] as FireTimeJson[];
  }
  return [];
}

export async function fetchNextRuns(
  ctx: CommandContext,
  name: string,
  count: number,
): Promise<FireTimeJson[]> {
  const { body } = await ctx.client.request<unknown>("GET", `${schedulePath(name)}/preview`, {
    query: { count },
  });
  return readFireTimes(body);
}

/**
 * After a change: say what happened, the next runs in the schedule's zone with weekday names
 * (none when it is paused), and every warning the API returned.
 */
export async function reportChange(ctx: CommandContext, verb: string, answer: WriteAnswer): Promise<void> {
  const { schedule } = answer;
  const warnings = answer.warnings ?? [];
  const nextRuns = schedule.enabled ? await fetchNextRuns(ctx, schedule.name, 5) : [];
  if (ctx.json) {
    ctx.printJson({ schedule, warnings, nextRuns });
    return;
  }
  ctx.out(`${verb} ${schedule.name} (version ${schedule.version}).\n`);
  ctx.out(
    schedule.enabled
      ? formatFireTimes(nextRuns, schedule.timezone)
      : "Paused: it will not run until enabled.\n",
  );
  if (warnings.length) ctx.err(formatWarnings(warnings));
}
