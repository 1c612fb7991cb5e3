import type { Command } from "../context.js";

export const exportCommand: Command = {
  name: "export",
  summary: "Print every schedule as JSON (redirect it to a file to keep it).",
  usage: "export [> FILE]",
  positionals: { min: 0, max: 0 },
  examples: ["hotbeat export > schedules.json", "hotbeat import schedules.json --dry-run"],
  async run(ctx) {
    const { body } = await ctx.client.request<unknown>("GET", "/api/v1/export");
    ctx.printJson(body);
  },
};
