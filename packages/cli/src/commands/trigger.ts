import { schedulePath, type Command } from "../context.js";
import type { RunJson } from "../types.js";

export const triggerCommand: Command = {
  name: "trigger",
  summary: "Run a schedule's task now, outside its timeline.",
  usage: "trigger NAME",
  positionals: { min: 1, max: 1 },
  async run(ctx, { positionals: [name = ""] }) {
    const { body } = await ctx.client.request<unknown>("POST", `${schedulePath(name)}/trigger`);
    const run = ((body as { run?: RunJson } | undefined)?.run ?? body) as RunJson;
    if (ctx.json) ctx.printJson(run);
    else
      ctx.out(`Triggered ${name}: run ${run.id} is ${run.status}.\nFollow it with: hotbeat runs ${name}\n`);
  },
};
