import type { Command } from "../context.js";
import { readSelectorOption, SELECTOR_HELP, SELECTOR_OPTION } from "../scheduleOptions.js";

export const exportCommand: Command = {
  name: "export",
  summary: "Print every schedule as JSON (redirect it to a file to keep it).",
  usage: "export [-l SELECTOR] [> FILE]",
  optionHelp: [SELECTOR_HELP],
  options: { ...SELECTOR_OPTION },
  positionals: { min: 0, max: 0 },
  examples: [
    "hotbeat export > schedules.json",
    "hotbeat export -l team=finance > finance.json",
    "hotbeat import schedules.json --dry-run",
  ],
  async run(ctx, { values }) {
    const { body } = await ctx.client.request<unknown>("GET", "/api/v1/export", {
      query: { label: readSelectorOption(values) },
    });
    ctx.printJson(body);
  },
};
