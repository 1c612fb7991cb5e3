import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../src/db/client.js";
import { schedules } from "../src/db/schema.js";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";

let t: TestDatabase;
/** One connection, so that every statement below sees the same session's prepared statements. */
let one: DbHandle;
beforeAll(async () => {
  t = await createTestDatabase();
  one = createDb(t.url, { max: 1 });
  releaseAfterFile(() => one.close());
});

/** The statements this session holds prepared whose text contains `marker`. */
async function preparedWith(marker: string, db = one.db): Promise<number> {
  const rows = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${`%${marker}%`}`,
  );
  return rows[0]!.n;
}

describe("Drizzle's statements", () => {
  it("keeps a statement with parameters prepared, so that its next use is one round trip", async () => {
    for (let i = 0; i < 3; i += 1) {
      await one.db
        .select()
        .from(schedules)
        .where(sql`${schedules.name} = ${"prepared-marker-a"}`);
    }
    expect(await preparedWith("prepared-marker-a")).toBe(0); // the value is a parameter, not text
    expect(await preparedWith(`"schedules"."name" = $1`)).toBe(1);
  });

  it("prepares inside a transaction too", async () => {
    await one.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT ${1}::int AS in_transaction_marker`);
    });
    expect(await preparedWith("in_transaction_marker")).toBe(1);
  });

  it("leaves a statement of many parameters unprepared: one text per list length would pile up", async () => {
    const values = Array.from({ length: 40 }, (_, i) => sql`${i}`);
    await one.db.execute(
      sql`SELECT long_list_marker FROM unnest(ARRAY[${sql.join(values, sql`, `)}]::int[]) AS long_list_marker`,
    );
    expect(await preparedWith("long_list_marker")).toBe(0);
  });
});
