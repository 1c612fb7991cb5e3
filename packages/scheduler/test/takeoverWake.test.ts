import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runs, saveCursor } from "@hotbeat/shared";
import type { HandledEvent } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

/** Resolves once PostgreSQL has a request waiting for the lock on `runs`. */
async function someoneWaitsOnRuns(): Promise<void> {
  for (;;) {
    const [row] = await t.sql<Array<{ waiting: number }>>`SELECT count(*)::int AS waiting FROM pg_locks
      WHERE NOT granted AND relation = 'runs'::regclass`;
    if (row!.waiting > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("taking over the lead", () => {
  it("does not move a schedule past what it owes when a wake comes before its cursors are restored", async () => {
    const ns = uniqueId("ns");
    const name = uniqueId("report_");
    const nowMs = Date.parse("2026-06-01T08:00:30Z");
    const clock = new FakeClock(nowMs);
    await t.sql`INSERT INTO schedules (name, task, cron, misfire_policy, misfire_grace_seconds)
      VALUES (${name}, 'log', '* * * * *', 'run_once', 60)`;
    await t.sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`UPDATE schedules SET created_at = now() - interval '1 year', updated_at = now() - interval '1 year'
        WHERE name = ${name}`;
    });
    // The last leader handled 07:55: 07:56 to 08:00 are owed, four of them later than the grace.
    await saveCursor(t.db, name, new Date("2026-06-01T07:55:00Z"));

    // The takeover reads the runs a predecessor recorded ahead: held here, it cannot finish
    // until the test lets it, and the wake armed at start comes first.
    const lock = await t.sql.reserve();
    await lock`BEGIN`;
    await lock`LOCK TABLE runs IN ACCESS EXCLUSIVE MODE`;
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { clock });
    const handled = nextEvent<HandledEvent>(scheduler.events, "handled", (e) => e.name === name);
    try {
      await scheduler.start();
      await someoneWaitsOnRuns();
      expect(scheduler.status().isLeader).toBe(true);
      await clock.timerArmed(0);
      clock.advance(0);
    } finally {
      await lock`COMMIT`;
      lock.release();
    }

    const event = await handled;
    expect(event).toMatchObject({ fired: 2, missed: 4 });
    const rows = await t.db
      .select()
      .from(runs)
      .where(eq(runs.scheduleName, name))
      .orderBy(asc(runs.scheduledAt));
    expect(rows.map((row) => [row.scheduledAt.toISOString(), row.status])).toEqual([
      ["2026-06-01T07:56:00.000Z", "missed"],
      ["2026-06-01T07:57:00.000Z", "missed"],
      ["2026-06-01T07:58:00.000Z", "missed"],
      ["2026-06-01T07:59:00.000Z", "queued"],
      ["2026-06-01T08:00:00.000Z", "queued"],
    ]);
    await scheduler.stop();
  });
});
