import type { SchedulerStatus } from "@hotbeat/shared";
import type { Command } from "../context.js";
import { formatTable } from "../format.js";
import { readList } from "./history.js";

export const statusCommand: Command = {
  name: "status",
  summary: "Show the live schedulers: which leads, how many schedules each holds, the last change applied.",
  usage: "status",
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const { body } = await ctx.client.request<unknown>("GET", "/api/v1/scheduler");
    if (ctx.json) {
      ctx.printJson(body);
      return;
    }
    const schedulers = readList<SchedulerStatus>(body, "schedulers");
    if (schedulers.length === 0) {
      ctx.out(`No scheduler is running: the API at ${ctx.client.baseUrl} answers, but nothing will fire.\n`);
      return;
    }
    ctx.out(
      formatTable(
        ["INSTANCE", "HOST", "LEADER", "SCHEDULES", "LAST CHANGE APPLIED", "HEARTBEAT"],
        schedulers.map((s) => [
          s.instanceId,
          `${s.hostname}:${s.pid}`,
          s.isLeader ? "yes" : "no",
          String(s.schedulesLoaded),
          s.lastApplied
            ? `${s.lastApplied.name} v${s.lastApplied.version}${s.lastApplied.latencyMs === null ? "" : ` in ${s.lastApplied.latencyMs} ms`}`
            : "-",
          s.heartbeatAt,
        ]),
      ),
    );
  },
};
