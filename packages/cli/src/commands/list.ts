import type { Command } from "../context.js";
import { formatHealth, formatScheduleList, formatTable } from "../format.js";
import { formatInstantIn, LOCAL_HELP, LOCAL_OPTION, readLocalZone } from "./localTime.js";
import type { ListedScheduleJson } from "../types.js";
import { UsageError } from "../errors.js";
import { formatLabels, LIST_LABELS_WIDTH } from "../formatLabels.js";
import { readSelectorOption, SELECTOR_HELP, SELECTOR_OPTION } from "../scheduleOptions.js";

export const listCommand: Command = {
  name: "list",
  summary: "List the schedules and when each runs.",
  usage: "list [-l SELECTOR] [--task TASK] [--enabled | --disabled] [--search TEXT] [--local]",
  optionHelp: [
    SELECTOR_HELP,
    "--task TASK   only schedules of this task",
    "--enabled     only enabled schedules",
    "--disabled    only paused schedules",
    "--search TEXT only schedules with TEXT in their name or description",
    `${LOCAL_HELP}; adds the next run`,
  ],
  options: {
    task: { type: "string" },
    enabled: { type: "boolean" },
    disabled: { type: "boolean" },
    search: { type: "string", short: "s" },
    ...SELECTOR_OPTION,
    ...LOCAL_OPTION,
  },
  positionals: { min: 0, max: 0 },
  examples: [
    "hotbeat list -l team=finance --search report",
    "hotbeat list -l team=finance,tier!=gold -l '!legacy'",
  ],
  async run(ctx, { values }) {
    if (values.enabled && values.disabled)
      throw new UsageError("--enabled and --disabled exclude each other", "list");
    const enabled = values.enabled ? "true" : values.disabled ? "false" : undefined;
    const { body } = await ctx.client.request<unknown>("GET", "/api/v1/schedules", {
      query: {
        enabled,
        task: values.task as string | undefined,
        q: values.search as string | undefined,
        label: readSelectorOption(values),
      },
    });
    const schedules = readSchedules(body);
    if (ctx.json) ctx.printJson(schedules);
    else if (values.local) ctx.out(formatWithLocalNext(schedules, readLocalZone()));
    else ctx.out(formatScheduleList(schedules));
  },
};

/** The list answer is `{ schedules: [...] }`; a bare array is read too. */
export function readSchedules(body: unknown): ListedScheduleJson[] {
  if (Array.isArray(body)) return body as ListedScheduleJson[];
  const list = (body as { schedules?: unknown } | undefined)?.schedules;
  return Array.isArray(list) ? (list as ListedScheduleJson[]) : [];
}

/** The list with each schedule's next run (computed by the API) in `zone`. */
function formatWithLocalNext(schedules: ListedScheduleJson[], zone: string): string {
  if (schedules.length === 0) return "No schedules.\n";
  return formatTable(
    ["NAME", "ENABLED", "TASK", "NEXT RUN", "LABELS", "HEALTH"],
    schedules.map((s) => {
      const nextRun = s.nextFireAt ? formatInstantIn(s.nextFireAt, zone) : "-";
      return [
        s.name,
        s.enabled ? "yes" : "no",
        s.task,
        nextRun,
        formatLabels(s.labels, LIST_LABELS_WIDTH),
        formatHealth(s.health),
      ];
    }),
  );
}
