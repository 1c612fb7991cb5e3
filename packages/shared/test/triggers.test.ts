import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

async function history(name: string) {
  return t.sql<
    { op: string; version: number; source: string; actor: string; old_value: unknown; new_value: unknown }[]
  >`
    SELECT op, version, source, actor, old_value, new_value FROM schedule_history
    WHERE schedule_name = ${name} ORDER BY id`;
}

describe("the schedules triggers", () => {
  it("records a raw SQL insert and update as source sql by the database user, bumping the version", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron, timezone) VALUES ('raw_one', 'log', '15 9 * * *', 'Asia/Ho_Chi_Minh')`;
    await t.sql`UPDATE schedules SET cron = '30 7 * * *' WHERE name = 'raw_one'`;
    const [row] = await t.sql<
      { version: number; updated_by: string }[]
    >`SELECT version, updated_by FROM schedules WHERE name = 'raw_one'`;
    expect(row).toEqual({ version: 2, updated_by: "postgres" });
    const rows = await history("raw_one");
    expect(rows.map((r) => [r.op, r.version, r.source, r.actor])).toEqual([
      ["insert", 1, "sql", "postgres"],
      ["update", 2, "sql", "postgres"],
    ]);
    expect((rows[1]!.old_value as { cron: string }).cron).toBe("15 9 * * *");
    expect((rows[1]!.new_value as { cron: string }).cron).toBe("30 7 * * *");
  });

  it("ignores a raw SQL attempt to set the version and counts it as one change", async () => {
    await t.sql`INSERT INTO schedules (name, task, interval_seconds) VALUES ('raw_two', 'log', 60)`;
    await t.sql`UPDATE schedules SET version = 1000, interval_seconds = 120 WHERE name = 'raw_two'`;
    const [row] = await t.sql<{ version: number }[]>`SELECT version FROM schedules WHERE name = 'raw_two'`;
    expect(row!.version).toBe(2);
  });

  it("writes no history and keeps the version for an update that changes nothing", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('raw_three', 'log', '0 * * * *')`;
    await t.sql`UPDATE schedules SET cron = '0 * * * *' WHERE name = 'raw_three'`;
    expect((await history("raw_three")).length).toBe(1);
  });

  it("records actor, source and note set transaction-locally by hotbeat's write path", async () => {
    await t.db.transaction(async (tx) => {
      await tx.execute(
        sql`SELECT set_config('hotbeat.actor', 'alice', true), set_config('hotbeat.source', 'cli', true), set_config('hotbeat.note', 'move it', true)`,
      );
      await tx.execute(sql`INSERT INTO schedules (name, task, cron) VALUES ('by_alice', 'log', '0 8 * * 1')`);
    });
    await t.sql`UPDATE schedules SET enabled = false WHERE name = 'by_alice'`;
    const rows = await history("by_alice");
    expect(rows.map((r) => [r.source, r.actor])).toEqual([
      ["cli", "alice"],
      ["sql", "postgres"],
    ]);
  });

  it("never reuses a version when a deleted name is created again", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('phoenix', 'log', '0 8 * * 1')`;
    await t.sql`UPDATE schedules SET cron = '0 9 * * 1' WHERE name = 'phoenix'`;
    await t.sql`DELETE FROM schedules WHERE name = 'phoenix'`;
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('phoenix', 'log', '0 8 * * 1')`;
    const rows = await history("phoenix");
    expect(rows.map((r) => [r.op, r.version])).toEqual([
      ["insert", 1],
      ["update", 2],
      ["delete", 3],
      ["insert", 4],
    ]);
  });

  it("gives a re-created schedule a newer version even after its whole history was pruned", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('pruned', 'log', '0 8 * * 1')`;
    await t.sql`UPDATE schedules SET cron = '0 9 * * 1' WHERE name = 'pruned'`;
    await t.sql`DELETE FROM schedules WHERE name = 'pruned'`;
    const [deleted] = await t.sql<{ version: number }[]>`
      SELECT max(version)::int AS version FROM schedule_history WHERE schedule_name = 'pruned'`;
    await t.sql`DELETE FROM schedule_history WHERE schedule_name = 'pruned'`;
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('pruned', 'log', '0 8 * * 1')`;
    const [row] = await t.sql<{ version: number }[]>`SELECT version FROM schedules WHERE name = 'pruned'`;
    expect(deleted!.version).toBe(3);
    expect(row!.version).toBe(4);
  });

  it("still counts one per change after a create of an existing name was refused", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('taken', 'log', '0 8 * * 1')`;
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('taken', 'log', '0 9 * * 1') ON CONFLICT DO NOTHING`;
    await t.sql`UPDATE schedules SET cron = '0 10 * * 1' WHERE name = 'taken'`;
    await t.sql`DELETE FROM schedules WHERE name = 'taken'`;
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('taken', 'log', '0 8 * * 1')`;
    const rows = await history("taken");
    expect(rows.map((r) => [r.op, r.version])).toEqual([
      ["insert", 1],
      ["update", 2],
      ["delete", 3],
      ["insert", 4],
    ]);
  });

  it("records a delete for every schedule a TRUNCATE removes, and a re-created one is newer", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('cut_a', 'log', '0 8 * * 1')`;
    await t.sql`INSERT INTO schedules (name, task, interval_seconds) VALUES ('cut_b', 'log', 60)`;
    await t.sql`UPDATE schedules SET interval_seconds = 120 WHERE name = 'cut_b'`;
    const names = (await t.sql<{ name: string }[]>`SELECT name FROM schedules ORDER BY name`).map(
      (r) => r.name,
    );
    await t.sql`TRUNCATE schedules`;
    const deletes = await t.sql<{ schedule_name: string; version: number; source: string; actor: string }[]>`
      SELECT schedule_name, version, source, actor FROM schedule_history
      WHERE op = 'delete' AND txid = (SELECT max(txid) FROM schedule_history)
      ORDER BY schedule_name`;
    expect(deletes.map((r) => r.schedule_name)).toEqual(names);
    expect(deletes.find((r) => r.schedule_name === "cut_a")).toEqual({
      schedule_name: "cut_a",
      version: 2,
      source: "sql",
      actor: "postgres",
    });
    expect(deletes.find((r) => r.schedule_name === "cut_b")!.version).toBe(3);
    await t.sql`DELETE FROM schedule_history`;
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('cut_a', 'log', '0 8 * * 1')`;
    const [row] = await t.sql<{ version: number }[]>`SELECT version FROM schedules WHERE name = 'cut_a'`;
    expect(row!.version).toBe(3);
  });

  it("re-anchors an interval only when the interval itself changes", async () => {
    await t.sql`INSERT INTO schedules (name, task, interval_seconds) VALUES ('anchored', 'log', 3600)`;
    const [before] = await t.sql<
      { a: string }[]
    >`SELECT interval_anchor_at AS a FROM schedules WHERE name = 'anchored'`;
    await t.sql`UPDATE schedules SET description = 'touched' WHERE name = 'anchored'`;
    const [same] = await t.sql<
      { a: string }[]
    >`SELECT interval_anchor_at AS a FROM schedules WHERE name = 'anchored'`;
    expect(Date.parse(same!.a)).toBe(Date.parse(before!.a));
    await t.sql.begin(async (tx) => {
      await tx`SELECT pg_sleep(0.002)`;
      await tx`UPDATE schedules SET interval_seconds = 7200 WHERE name = 'anchored'`;
    });
    const [moved] = await t.sql<
      { a: string }[]
    >`SELECT interval_anchor_at AS a FROM schedules WHERE name = 'anchored'`;
    expect(Date.parse(moved!.a)).toBeGreaterThan(Date.parse(before!.a));
  });

  it("refuses a raw SQL row with two kinds of timing", async () => {
    await expect(
      t.sql`INSERT INTO schedules (name, task, cron, interval_seconds) VALUES ('two_kinds', 'log', '* * * * *', 5)`,
    ).rejects.toThrow(/schedules_one_kind/);
  });
});
