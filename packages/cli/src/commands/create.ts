import { reportChange, type Command, type WriteAnswer } from "../context.js";
import { UsageError } from "../errors.js";
import {
  readKindOptions,
  readLabelEdits,
  readSharedFields,
  SCHEDULE_FIELD_HELP,
  SCHEDULE_FIELD_OPTIONS,
  TIMING_HELP,
  TIMING_OPTIONS,
} from "../scheduleOptions.js";

export const createCommand: Command = {
  name: "create",
  summary: "Create a schedule.",
  usage:
    "create NAME --task TASK (--cron EXPR | --every 6h | --interval SECONDS | --at ISO) [--tz ZONE] [--payload JSON|@FILE] [--label K=V] [--exclude DATES] [--calendar NAME]",
  optionHelp: [
    "--task TASK          the task a worker runs (or http)",
    ...TIMING_HELP,
    ...SCHEDULE_FIELD_HELP,
    "--disabled           create it paused",
  ],
  options: {
    ...TIMING_OPTIONS,
    ...SCHEDULE_FIELD_OPTIONS,
    task: { type: "string" },
    disabled: { type: "boolean" },
  },
  positionals: { min: 1, max: 1 },
  examples: [
    'hotbeat create morning_intelligence_report --task reports.morning --cron "15 9 * * *" --tz Asia/Ho_Chi_Minh',
    "hotbeat create inventory_health_check --task inventory.check --every 6h",
    'hotbeat create ping --task http --every 5m --payload \'{"url":"https://example.com"}\'',
    'hotbeat create payroll --task payroll.run --cron "0 18 L * *" --label team=finance --calendar vn-public-holidays',
  ],
  async run(ctx, { positionals: [name = ""], values }) {
    if (typeof values.task !== "string") throw new UsageError("--task is required", "create");
    const kind = readKindOptions(values, "create");
    if (Object.keys(kind).length === 0)
      throw new UsageError("say when it runs: --cron, --every, --interval or --at", "create");
    const body: Record<string, unknown> = {
      name,
      task: values.task,
      ...kind,
      ...(await readSharedFields(values, "create")),
    };
    if (values.disabled) body.enabled = false;
    const labels = readLabelEdits(values, "create");
    if (labels) body.labels = labels.set;
    const { body: answer } = await ctx.client.request<WriteAnswer>("POST", "/api/v1/schedules", {
      body,
      note: values.note as string | undefined,
    });
    await reportChange(ctx, "Created", answer);
  },
};
