import { schedulePath, type Command } from "../context.js";
import { formatHistory } from "../format.js";
import type { HistoryEntryJson } from "../types.js";

export const historyCommand: Command = {
  name: "history",
  summary: "Show every change to a schedule: who, when, through what, old → new.",
  usage: "history NAME",
  positionals: { min: 1, max: 1 },
  async run(ctx, { positionals: [name = ""] }) {
    const { body } = await ctx.client.request<unknown>("GET", `${schedulePath(name)}/history`);
    const entries = readList<HistoryEntryJson>(body, "history");
    if (ctx.json) ctx.printJson(entries);
    else ctx.out(formatHistory(entries));
  },
};

/** Reads a list answer: a bare array, or the array under `key`. */
export function readList<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const list = (body as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(list) ? (list as T[]) : [];
}
