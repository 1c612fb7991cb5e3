import type { Command } from "../context.js";
import { formatScheduleList } from "../format.js";
import type { ScheduleJson } from "../types.js";
import { UsageError } from "../errors.js";

export const listCommand: Command = {
  name: "list",
  summary: "List the schedules and when each runs.",
  usage: "list [--task TASK] [--enabled | --disabled]",
  optionHelp: [
    "--task TASK   only schedules of this task",
    "--enabled     only enabled schedules",
    "--disabled    only paused schedules",
  ],
  options: { task: { type: "string" }, enabled: { type: "boolean" }, disabled: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(ctx, { values }) {
    if (values.enabled && values.disabled)
      throw new UsageError("--enabled and --disabled exclude each other", "list");
    const enabled = values.enabled ? "true" : values.disabled ? "false" : undefined;
    const { body } = await ctx.client.request<unknown>("GET", "/api/v1/schedules", {
      query: { enabled, task: values.task as string | undefined },
    });
    const schedules = readSchedules(body);
    if (ctx.json) ctx.printJson(schedules);
    else ctx.out(formatScheduleList(schedules));
  },
};

/** The list answer is `{ schedules: [...] }`; a bare array is read too. */
export function readSchedules(body: unknown): ScheduleJson[] {
  if (Array.isArray(body)) return body as ScheduleJson[];
  const list = (body as { schedules?: unknown } | undefined)?.schedules;
  return Array.isArray(list) ? (list as ScheduleJson[]) : [];
}
