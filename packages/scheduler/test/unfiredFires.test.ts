import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { RUN_ALL_CAP, runs, saveCursor } from "@hotbeat/shared";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

describe("a stall longer than the grace", () => {
  it("records every instant of a per-second schedule: the capped ones run, all the others are missed rows with a reason", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron, misfire_policy, misfire_grace_seconds)
      VALUES ('every_second', 'log', '* * * * * *', 'run_all', 300)`;
    await t.sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`UPDATE schedules SET created_at = now() - interval '1 day', updated_at = now() - interval '1 day'`;
    });
    const cursorMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    await saveCursor(t.db, "every_second", new Date(cursorMs));

    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    const handled = nextEvent<{ name: string; cursorAt: Date }>(scheduler.events, "handled");
    await scheduler.start();
    const { cursorAt } = await handled;
    await scheduler.stop();

    const rows = await t.db
      .select()
      .from(runs)
      .where(eq(runs.scheduleName, "every_second"))
      .orderBy(asc(runs.scheduledAt));
    const cursorSecondMs = Math.floor(cursorAt.getTime() / 1000) * 1000;
    const everySecond = Array.from(
      { length: (cursorSecondMs - cursorMs) / 1000 },
      (_, i) => cursorMs + (i + 1) * 1000,
    );
    // The first wake handles them all; the fires after it are on time, one per wake.
    const firstWake = rows.filter((r) => r.scheduledAt.getTime() <= cursorSecondMs);
    expect(firstWake.map((r) => r.scheduledAt.getTime())).toEqual(everySecond);
    expect(firstWake.filter((r) => r.status === "queued").length).toBe(2 * RUN_ALL_CAP);
    const missed = firstWake.filter((r) => r.status === "missed");
    expect(missed.length).toBe(everySecond.length - 2 * RUN_ALL_CAP);
    expect(missed.every((r) => r.error?.startsWith("missed: "))).toBe(true);
  });
});
