import { beforeAll, describe, expect, it } from "vitest";
import { SCHEDULE_UPDATES_CHANNEL } from "@hotbeat/shared";
import type { FiredEvent } from "../src/index.js";
import { createTestDatabase, createTestRedis, type TestDatabase } from "../../../test/helpers.js";
import { readEnabledVersions } from "../src/sync/scheduleSource.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

describe("changes that leave no history row", () => {
  it("stops firing the schedules a raw TRUNCATE removed, at the next poll", async () => {
    await t.sql`INSERT INTO schedules (name, task, interval_seconds) VALUES ('truncated', 'log', 1)`;
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 100 });
    await scheduler.start();
    await nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "truncated");

    const removed = nextEvent<{ name: string }>(scheduler.events, "removed", (e) => e.name === "truncated");
    await t.sql`TRUNCATE schedules`;
    await removed;
    expect(scheduler.status().schedulesLoaded).toBe(0);

    // A schedule created afterwards is still picked up, and only it fires.
    const fired: string[] = [];
    scheduler.events.on("fired", (e: FiredEvent) => fired.push(e.name));
    await t.sql`INSERT INTO schedules (name, task, interval_seconds) VALUES ('after_truncate', 'log', 1)`;
    await nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "after_truncate");
    await scheduler.stop();
    expect(fired.filter((name) => name === "truncated")).toEqual([]);
  });

  it("removes a deleted schedule on its message even when a retention job pruned its history", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('pruned', 'log', '0 0 1 1 *')`;
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 60_000 });
    await scheduler.start();
    const loaded = scheduler.status().schedulesLoaded;

    // The row goes and its history with it before the message is read (no poll will run).
    await t.sql.begin(async (tx) => {
      await tx`DELETE FROM schedules WHERE name = 'pruned'`;
      await tx`DELETE FROM schedule_history WHERE schedule_name = 'pruned'`;
    });
    const removed = nextEvent<{ name: string }>(scheduler.events, "removed", (e) => e.name === "pruned");
    const redis = createTestRedis();
    await redis.publish(
      SCHEDULE_UPDATES_CHANNEL,
      JSON.stringify({ name: "pruned", version: 2, op: "delete" }),
    );
    await removed;
    expect(scheduler.status().schedulesLoaded).toBe(loaded - 1);
    await scheduler.stop();
  });

  it("reads every enabled schedule's version page by page, in name order, from one snapshot", async () => {
    await t.sql`
      INSERT INTO schedules (name, task, cron, enabled)
      VALUES ('pages-a', 'log', '0 0 1 1 *', true), ('pages-b', 'log', '0 0 1 1 *', false),
        ('pages-c', 'log', '0 0 1 1 *', true), ('pages-d', 'log', '0 0 1 1 *', true),
        ('pages-e', 'log', '0 0 1 1 *', true), ('pages-f', 'log', '0 0 1 1 *', true)`;
    const pages: string[][] = [];
    await readEnabledVersions(
      t.db,
      async (page) => {
        pages.push(page.filter(({ name }) => name.startsWith("pages-")).map(({ name }) => name));
        // A row added while the pages are read belongs to a later snapshot: not in this one.
        if (pages.length === 1)
          await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('pages-g', 'log', '0 0 1 1 *')`;
      },
      2,
    );
    expect(pages.flat()).toEqual(["pages-a", "pages-c", "pages-d", "pages-e", "pages-f"]);
    expect(pages.length).toBeGreaterThanOrEqual(3);
  });
});
