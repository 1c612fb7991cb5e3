import type { Command } from "../context.js";
import { parseBoundedInt } from "../cronEdit.js";
import { formatRuns } from "../format.js";
import type { RunJson } from "../types.js";
import { readList } from "./history.js";
import { formatInstantIn, LOCAL_HELP, LOCAL_OPTION, readLocalZone } from "./localTime.js";

export const runsCommand: Command = {
  name: "runs",
  summary: "Show recent task runs, newest first, of one schedule or all.",
  usage: "runs [NAME] [--status STATUS] [-n LIMIT] [--local]",
  optionHelp: [
    "--status S     queued, running, succeeded, failed, skipped or missed",
    "-n, --limit N  how many (default 20)",
    LOCAL_HELP,
  ],
  options: { status: { type: "string" }, limit: { type: "string", short: "n" }, ...LOCAL_OPTION },
  positionals: { min: 0, max: 1 },
  async run(ctx, { positionals: [name], values }) {
    const limit = values.limit === undefined ? 20 : parseBoundedInt(String(values.limit), "--limit", 1, 500);
    const { body } = await ctx.client.request<unknown>("GET", "/api/v1/runs", {
      query: { schedule: name, status: values.status as string | undefined, limit },
    });
    const runs = readList<RunJson>(body, "runs");
    if (ctx.json) ctx.printJson(runs);
    else if (values.local) {
      const zone = readLocalZone();
      const local = (iso: string | null) => (iso ? formatInstantIn(iso, zone) : null);
      ctx.out(
        formatRuns(
          runs.map((r) => ({
            ...r,
            scheduledAt: local(r.scheduledAt) ?? "",
            finishedAt: local(r.finishedAt),
          })),
        ),
      );
    } else ctx.out(formatRuns(runs));
  },
};
