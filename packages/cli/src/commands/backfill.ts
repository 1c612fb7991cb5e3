import { UsageError } from "../errors.js";
import { schedulePath, type Command } from "../context.js";
import { formatTable } from "../format.js";
import type { BackfillAnswerJson } from "../types.js";

export const backfillCommand: Command = {
  name: "backfill",
  summary: "Run every instant of a schedule between two past instants, once.",
  usage: "backfill NAME --from ISO --to ISO [--dry-run]",
  optionHelp: [
    "--from ISO   the first instant (included)",
    "--to ISO     the last instant (included), not after now",
    "--dry-run    list what would run, write nothing",
  ],
  options: { from: { type: "string" }, to: { type: "string" }, "dry-run": { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  examples: [
    "hotbeat backfill nightly_export --from 2027-03-01T00:00:00Z --to 2027-03-03T23:59:59Z --dry-run",
  ],
  async run(ctx, { positionals: [name = ""], values }) {
    const { from, to } = values;
    if (typeof from !== "string" || typeof to !== "string")
      throw new UsageError("--from and --to are required: the first and last instants", "backfill");
    const dryRun = values["dry-run"] === true;
    const { body } = await ctx.client.request<BackfillAnswerJson>("POST", `${schedulePath(name)}/backfill`, {
      body: { from, to, ...(dryRun ? { dryRun } : {}) },
    });
    if (ctx.json) {
      ctx.printJson(body);
      return;
    }
    const verb = body.dryRun ? "would be created" : "created";
    ctx.out(
      `${body.dryRun ? "Dry run: nothing written. " : ""}Backfill of ${name} from ${body.from} to ${body.to} (both included):\n` +
        `  ${body.count} instants: ${body.created} ${verb}, ${body.reopened} missed and ${body.dryRun ? "would run" : "now running"}, ` +
        `${body.existing} already recorded, ${body.excluded} excluded.\n`,
    );
    if (body.dryRun && body.instants.length > 0) {
      const rows = body.instants.map((i) => [i.at, i.outcome, i.status ?? i.excluded ?? ""]);
      ctx.out(formatTable(["AT", "OUTCOME", "DETAIL"], rows));
    }
  },
};
