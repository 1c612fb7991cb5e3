import { readFireTimes, schedulePath, type Command } from "../context.js";
import { parseBoundedInt } from "../cronEdit.js";
import { formatFireTimes } from "../format.js";
import type { ScheduleAnswerJson } from "../types.js";
import { formatInstantIn, LOCAL_HELP, LOCAL_OPTION, readLocalZone } from "./localTime.js";

export const nextCommand: Command = {
  name: "next",
  summary: "Show the next fire times of a schedule, in its zone, with weekday names.",
  usage: "next NAME [-n COUNT] [--from ISO] [--local]",
  optionHelp: [
    "-n, --count N   how many (1–100, default 5)",
    "--from ISO      count from this instant instead of now",
    LOCAL_HELP,
  ],
  options: { count: { type: "string", short: "n" }, from: { type: "string" }, ...LOCAL_OPTION },
  positionals: { min: 1, max: 1 },
  examples: ["hotbeat next weekly_summary_report -n 10"],
  async run(ctx, { positionals: [name = ""], values }) {
    const count = values.count === undefined ? 5 : parseBoundedInt(String(values.count), "-n", 1, 100);
    const from = values.from as string | undefined;
    const [{ body: schedule }, { body }] = await Promise.all([
      ctx.client.request<ScheduleAnswerJson>("GET", schedulePath(name)),
      ctx.client.request<unknown>("GET", `${schedulePath(name)}/preview`, { query: { count, from } }),
    ]);
    const fireTimes = readFireTimes(body);
    const paused = schedule.enabled ? "" : "Paused: these are the runs it would make once enabled.\n";
    if (ctx.json) ctx.printJson(fireTimes);
    else if (values.local) {
      const zone = readLocalZone();
      const lines = fireTimes.map(
        (f) => `  ${formatInstantIn(f.at, zone)}  (${schedule.timezone}: ${f.local})`,
      );
      ctx.out(`${paused}Next runs (${zone}):\n${lines.join("\n")}\n`);
    } else
      ctx.out(
        (schedule.enabled ? "" : "Paused: these are the runs it would make once enabled.\n") +
          formatFireTimes(fireTimes, schedule.timezone),
      );
  },
};
