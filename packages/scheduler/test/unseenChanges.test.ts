import { beforeAll, describe, expect, it } from "vitest";
import type { FiredEvent } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
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
});
