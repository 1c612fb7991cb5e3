import { and } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { schedules } from "../src/db/schema.js";
import { parseLabelSelector, toLabelConditions } from "../src/schedules/labelSelector.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

/** The plan PostgreSQL picks for the selector when it may use any index it can. */
async function planOf(selector: string): Promise<string> {
  const query = t.db
    .select({ name: schedules.name })
    .from(schedules)
    .where(and(...toLabelConditions(parseLabelSelector([selector]))))
    .toSQL();
  return t.sql.begin(async (tx) => {
    // An empty table is read whole whatever the indexes; this asks whether the index can serve.
    await tx.unsafe("SET LOCAL enable_seqscan = off");
    const rows = await tx.unsafe(`EXPLAIN ${query.sql}`, query.params as never[]);
    return rows.map((row) => String(row["QUERY PLAN"])).join("\n");
  });
}

describe("label selectors in SQL", () => {
  it("serves key=value and key from the GIN index on labels", async () => {
    expect(await planOf("team=finance")).toContain("schedules_labels_idx");
    expect(await planOf("team")).toContain("schedules_labels_idx");
    expect(await planOf("team=finance,!legacy")).toContain("schedules_labels_idx");
  });
});
