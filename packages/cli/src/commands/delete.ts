import { schedulePath, type Command } from "../context.js";

export const deleteCommand: Command = {
  name: "delete",
  summary: "Delete a schedule (its history stays).",
  usage: "delete NAME [--note TEXT]",
  optionHelp: ["--note TEXT   recorded in the history beside the delete"],
  options: { note: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run(ctx, { positionals: [name = ""], values }) {
    const { body } = await ctx.client.request<unknown>("DELETE", schedulePath(name), {
      note: values.note as string | undefined,
    });
    if (ctx.json) ctx.printJson(body ?? { name });
    else ctx.out(`Deleted ${name}.\n`);
  },
};
