import { schedulePath, type Command } from "../context.js";
import type { SkipAnswerJson } from "../types.js";

export const skipCommand: Command = {
  name: "skip",
  summary: "Skip one future run of a schedule: the next one, or the one at --at.",
  usage: "skip NAME [--at ISO]",
  optionHelp: ["--at ISO   the fire instant to skip (default: the next one that would run)"],
  options: { at: { type: "string" } },
  positionals: { min: 1, max: 1 },
  examples: [
    "hotbeat skip weekly_summary_report",
    "hotbeat skip weekly_summary_report --at 2027-09-06T01:00:00Z",
  ],
  async run(ctx, { positionals: [name = ""], values }) {
    const at = values.at as string | undefined;
    const { body } = await ctx.client.request<SkipAnswerJson>("POST", `${schedulePath(name)}/skip`, {
      body: at === undefined ? {} : { at },
    });
    if (ctx.json) ctx.printJson(body);
    else
      ctx.out(
        `Skipped ${name} at ${body.skipped.at} (${body.skipped.reason}).\n` +
          `Undo before it passes with: hotbeat unskip ${name} --at ${body.skipped.at}\n`,
      );
  },
};
