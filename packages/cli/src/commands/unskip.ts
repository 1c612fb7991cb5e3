import { UsageError } from "../errors.js";
import { schedulePath, type Command } from "../context.js";

export const unskipCommand: Command = {
  name: "unskip",
  summary: "Undo the skip of a run that has not passed yet.",
  usage: "unskip NAME --at ISO",
  optionHelp: ["--at ISO   the skipped fire instant"],
  options: { at: { type: "string" } },
  positionals: { min: 1, max: 1 },
  examples: ["hotbeat unskip weekly_summary_report --at 2027-09-06T01:00:00Z"],
  async run(ctx, { positionals: [name = ""], values }) {
    const at = values.at;
    if (typeof at !== "string") throw new UsageError("--at is required: the skipped instant", "unskip");
    const { body } = await ctx.client.request<unknown>(
      "DELETE",
      `${schedulePath(name)}/skip/${encodeURIComponent(at)}`,
    );
    if (ctx.json) ctx.printJson(body);
    else ctx.out(`${name} runs at ${new Date(at).toISOString()} again.\n`);
  },
};
