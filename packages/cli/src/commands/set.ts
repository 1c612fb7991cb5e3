import { reportChange, schedulePath, type Command, type WriteAnswer } from "../context.js";
import { UsageError } from "../errors.js";
import {
  applyLabelEdits,
  readCronEdit,
  readKindOptions,
  readLabelEdits,
  readSharedFields,
  SCHEDULE_FIELD_HELP,
  SCHEDULE_FIELD_OPTIONS,
  TIMING_HELP,
  TIMING_OPTIONS,
} from "../scheduleOptions.js";
import type { ScheduleAnswerJson } from "../types.js";

export const setCommand: Command = {
  name: "set",
  summary: "Change a schedule; the parts you do not name stay as they are.",
  usage:
    "set NAME [--hour H] [--minute M] [--days mon,fri] [--cron EXPR] [--interval SECONDS | --every 6h] [--tz ZONE] [--enable | --disable] [--label K=V | K-] [--exclude DATES] [--calendar NAME] [--note TEXT]",
  optionHelp: [
    "--hour H             the hour of the cron (0–23); keeps minute, days and the rest",
    "--minute M           the minute of the cron (0–59)",
    "--days DAYS          days of the week: mon,fri  mon-fri  weekdays  weekends  daily",
    ...TIMING_HELP,
    ...SCHEDULE_FIELD_HELP,
    "--task TASK          run another task",
    "--enable             resume it",
    "--disable            pause it (nothing runs until --enable)",
  ],
  options: {
    ...TIMING_OPTIONS,
    ...SCHEDULE_FIELD_OPTIONS,
    hour: { type: "string" },
    minute: { type: "string" },
    days: { type: "string" },
    task: { type: "string" },
    enable: { type: "boolean" },
    disable: { type: "boolean" },
  },
  positionals: { min: 1, max: 1 },
  examples: [
    "hotbeat set morning_intelligence_report --hour 7 --minute 30",
    "hotbeat set inventory_health_check --interval 14400",
    'hotbeat set weekly_summary_report --disable --note "paused for the audit"',
    "hotbeat set weekly_summary_report --days mon,thu --hour 8 --minute 0",
    "hotbeat set payroll --label tier=gold --label legacy- --exclude 2027-12-24/2027-12-26",
  ],
  async run(ctx, { positionals: [name = ""], values }) {
    if (values.enable && values.disable)
      throw new UsageError("--enable and --disable exclude each other", "set");
    const isCronEdit = values.hour !== undefined || values.minute !== undefined || values.days !== undefined;
    const kind = readKindOptions(values, "set");
    if (isCronEdit && Object.keys(kind).length > 0) {
      throw new UsageError(
        "--hour/--minute/--days edit the stored cron; they do not mix with --cron, --every, --interval or --at",
        "set",
      );
    }
    if (isCronEdit) readCronEdit(values, null);
    const patch: Record<string, unknown> = { ...kind, ...(await readSharedFields(values, "set")) };
    if (values.task !== undefined) patch.task = values.task;
    if (values.enable) patch.enabled = true;
    if (values.disable) patch.enabled = false;
    const labelEdits = readLabelEdits(values, "set");
    let ifMatch: number | undefined;
    if (isCronEdit || labelEdits) {
      // Read-modify-write: If-Match makes a change made meanwhile refuse this one (412), not vanish.
      const { body: current } = await ctx.client.request<ScheduleAnswerJson>("GET", schedulePath(name));
      if (isCronEdit) patch.cron = readCronEdit(values, current.cron);
      if (labelEdits) patch.labels = applyLabelEdits(current.labels ?? {}, labelEdits);
      ifMatch = current.version;
    }
    if (Object.keys(patch).length === 0) {
      throw new UsageError("nothing to change; see hotbeat set --help", "set");
    }
    const { body: answer } = await ctx.client.request<WriteAnswer>("PATCH", schedulePath(name), {
      body: patch,
      ifMatch,
      note: values.note as string | undefined,
    });
    await reportChange(ctx, "Updated", answer);
  },
};
