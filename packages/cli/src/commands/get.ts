import { fetchNextRuns, schedulePath, type Command } from "../context.js";
import { formatFireTimes, formatSchedule } from "../format.js";
import type { ScheduleAnswerJson } from "../types.js";

export const getCommand: Command = {
  name: "get",
  summary: "Show one schedule and its next runs.",
  usage: "get NAME",
  positionals: { min: 1, max: 1 },
  examples: ["hotbeat get morning_intelligence_report", "hotbeat get morning_intelligence_report --json"],
  async run(ctx, { positionals: [name = ""] }) {
    const { body: schedule } = await ctx.client.request<ScheduleAnswerJson>("GET", schedulePath(name));
    if (ctx.json) {
      ctx.printJson(schedule);
      return;
    }
    ctx.out(formatSchedule(schedule));
    // A row hotbeat cannot fire has no next runs to ask for: its health above says why.
    if (schedule.health.status === "invalid") ctx.out("It cannot fire until the problem above is fixed.\n");
    else if (schedule.enabled) ctx.out(formatFireTimes(await fetchNextRuns(ctx, name, 5), schedule.timezone));
    else ctx.out("Paused: it will not run until enabled.\n");
  },
};
