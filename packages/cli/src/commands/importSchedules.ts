import { readFile } from "node:fs/promises";
import type { Command } from "../context.js";
import { UsageError } from "../errors.js";
import { formatImportOutcomes } from "../format.js";
import type { ImportOutcomeJson } from "../types.js";
import { readSelectorOption, SELECTOR_HELP, SELECTOR_OPTION } from "../scheduleOptions.js";
import { readList } from "./history.js";

export const importCommand: Command = {
  name: "import",
  summary: "Create or update many schedules at once, all or nothing (the format of export).",
  usage: "import FILE [-l SELECTOR] [--dry-run] [--note TEXT]",
  optionHelp: [
    `${SELECTOR_HELP}; the file's others are left out`,
    "--dry-run     show what would change and change nothing",
    "--note TEXT   recorded in the history of each change",
  ],
  options: { "dry-run": { type: "boolean" }, note: { type: "string" }, ...SELECTOR_OPTION },
  positionals: { min: 1, max: 1 },
  async run(ctx, { positionals: [file = ""], values }) {
    let text: string;
    try {
      text = file === "-" ? await readStdin() : await readFile(file, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, "import");
    }
    let document: unknown;
    try {
      document = JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`, "import");
    }
    const isDryRun = values["dry-run"] === true;
    const { body } = await ctx.client.request<unknown>("POST", "/api/v1/import", {
      body: toImportBody(document),
      query: { dryRun: isDryRun ? "true" : undefined, label: readSelectorOption(values) },
      note: values.note as string | undefined,
    });
    if (ctx.json) ctx.printJson(body);
    else {
      ctx.out(formatImportOutcomes(readList<ImportOutcomeJson>(body, "results"), isDryRun));
      const leftOut = (body as { leftOut?: number } | undefined)?.leftOut ?? 0;
      if (leftOut > 0)
        ctx.out(
          `Left out ${leftOut} schedule${leftOut === 1 ? "" : "s"} the label selector does not match.\n`,
        );
    }
  },
};

/** Takes what export printed (`{ exportedAt, schedules }`) or a bare array, and sends `{ schedules }`. */
export function toImportBody(document: unknown): unknown {
  if (Array.isArray(document)) return { schedules: document };
  const schedules = (document as { schedules?: unknown } | null)?.schedules;
  return schedules === undefined ? document : { schedules };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
