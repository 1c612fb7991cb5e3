import { z } from "zod";

/** `?limit=` of a history route: how many entries, newest first. */
export const historyQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000")
    .optional(),
});

/** One entry of a history; `sources` names the paths that can write what it records. */
export function buildHistoryEntrySchema(sources: string) {
  return z.object({
    id: z.number().int(),
    op: z.string().describe("insert, update or delete"),
    version: z.number().int(),
    actor: z.string(),
    source: z.string().describe(sources),
    note: z.string().nullable(),
    oldValue: z.unknown(),
    newValue: z.unknown(),
    changedAt: z.string(),
  });
}

/** History rows as the API answers them: the id a number, the instant ISO 8601. */
export function toHistoryJson<Row extends { id: number; changedAt: Date }>(rows: readonly Row[]) {
  return {
    history: rows.map((row) => ({ ...row, id: Number(row.id), changedAt: row.changedAt.toISOString() })),
  };
}
