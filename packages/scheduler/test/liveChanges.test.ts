import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  runs,
  scheduleAppliedChannel,
  scheduleAppliedMessageSchema,
  scheduleHistory,
  schedules,
  schedulerStatusKey,
  schedulerStatusSchema,
  SCHEDULE_UPDATES_CHANNEL,
  toCarriedRow,
} from "@hotbeat/shared";
import { loadChangesSince, loadEnabledSchedules, type FiredEvent } from "../src/index.js";
import { createTestDatabase, createTestRedis, type TestDatabase } from "../../../test/helpers.js";
import {
  buildScheduler,
  createTestQueue,
  createTestWriter,
  killSubscriber,
  nextEvent,
  uniqueId,
} from "./support.js";

interface Applied {
  name: string;
  version: number;
  source: string;
  latencyMs: number | null;
}

let t: TestDatabase;
/** Live means well under a second (README, "Guarantees"): from the write call, and from the row's updated_at. */
function expectLive(startedAt: number, event: Applied): void {
  expect(performance.now() - startedAt).toBeLessThan(1000);
  expect(event.latencyMs).not.toBeNull();
  expect(event.latencyMs!).toBeLessThan(1000);
}
const ctx = { actor: "test", source: "api" as const };

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("live changes", () => {
  it("applies a change published by the write path, and the next fire uses the new definition", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    await scheduler.start();
    const writer = createTestWriter(t);
    const applied1 = nextEvent<Applied>(
      scheduler.events,
      "applied",
      (e) => e.name === "moves" && e.version === 1,
    );
    await writer.create({ name: "moves", task: "log", cron: "0 0 1 1 *" }, ctx);
    await applied1;
    const applied2 = nextEvent<Applied>(
      scheduler.events,
      "applied",
      (e) => e.name === "moves" && e.version === 2,
    );
    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "moves");
    const startedAt = performance.now();
    await writer.update("moves", { cron: "* * * * * *" }, ctx);
    const applied = await applied2;
    expectLive(startedAt, applied);
    expect(applied.source).toBe("message");
    expect(applied.latencyMs).not.toBeNull();
    const fire = await fired;
    const rows = await t.db.select().from(runs).where(eq(runs.scheduleName, "moves"));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r.scheduleVersion === 2)).toBe(true);
    expect(fire.scheduledAt.getUTCMilliseconds()).toBe(0);
    expect(scheduler.status()).toMatchObject({
      isLeader: true,
      schedulesLoaded: 1,
      lastApplied: { name: "moves", version: 2 },
    });
    expect(await scheduler.renderMetrics()).toMatch(
      /hotbeat_scheduler_change_applied_latency_seconds_count [1-9]/,
    );
    await writer.remove("moves", ctx);
    await nextEvent(scheduler.events, "removed", (e: { name: string }) => e.name === "moves");
    expect(scheduler.status().schedulesLoaded).toBe(0);
    await scheduler.stop();
  });

  it("applies the row a message of its own deployment carries, and fires on the new definition", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    await scheduler.start();
    const writer = createTestWriter(t, ns);
    const created = nextEvent<Applied>(
      scheduler.events,
      "applied",
      (e) => e.name === "carried" && e.version === 1,
    );
    await writer.create({ name: "carried", task: "log", cron: "0 0 1 1 *" }, ctx);
    await created;
    const applied = nextEvent<Applied>(
      scheduler.events,
      "applied",
      (e) => e.name === "carried" && e.version === 2,
    );
    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "carried");
    const startedAt = performance.now();
    await writer.update("carried", { cron: "* * * * * *" }, ctx);
    const event = await applied;
    expectLive(startedAt, event);
    expect(event.source).toBe("message");
    await fired;
    const rows = await t.db.select().from(runs).where(eq(runs.scheduleName, "carried"));
    expect(rows.every((r) => r.scheduleVersion === 2)).toBe(true);
    await writer.remove("carried", ctx);
    await scheduler.stop();
  });

  it("never applies a row carried by another deployment's message: it reads its own database", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    await scheduler.start();
    const writer = createTestWriter(t, ns);
    const created = nextEvent<Applied>(scheduler.events, "applied", (e) => e.name === "same_name");
    await writer.create({ name: "same_name", task: "log", cron: "0 0 1 1 *" }, ctx);
    await created;
    const seen: Applied[] = [];
    scheduler.events.on("applied", (e: Applied) => seen.push(e));
    // Another deployment on the same Redis, with a schedule of the same name far ahead in versions.
    const [row] = await t.db.select().from(schedules).where(eq(schedules.name, "same_name"));
    const foreign = { ...toCarriedRow(row!), version: 50, cron: "* * * * * *" };
    const publisher = createTestRedis();
    await publisher.publish(
      SCHEDULE_UPDATES_CHANNEL,
      JSON.stringify({
        name: "same_name",
        version: 50,
        op: "upsert",
        namespace: `${ns}-other`,
        row: foreign,
      }),
    );
    // Had the foreign row been applied, version 2 would be older than what is held, and ignored.
    const applied = nextEvent<Applied>(
      scheduler.events,
      "applied",
      (e) => e.name === "same_name" && e.version === 2,
    );
    await writer.update("same_name", { cron: "0 5 1 1 *" }, ctx);
    await applied;
    expect(seen.map((e) => e.version)).toEqual([2]);
    await writer.remove("same_name", ctx);
    await scheduler.stop();
  });

  it("announces each applied version on its namespace's channel and in its status, which it removes at stop", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { instanceId: "reporter" });
    await scheduler.start();
    const redis = createTestRedis();
    const listener = createTestRedis();
    await listener.subscribe(scheduleAppliedChannel(ns));
    const announced = new Promise<unknown>((resolve) =>
      listener.on("message", (_channel: string, raw: string) => {
        const message = scheduleAppliedMessageSchema.parse(JSON.parse(raw));
        if (message.name === "announced") resolve(message);
      }),
    );
    await createTestWriter(t).create({ name: "announced", task: "log", cron: "0 0 1 1 *" }, ctx);
    expect(await announced).toMatchObject({ instanceId: "reporter", name: "announced", version: 1 });
    const status = schedulerStatusSchema.parse(
      JSON.parse((await redis.get(schedulerStatusKey(ns, "reporter")))!),
    );
    expect(status).toMatchObject({
      instanceId: "reporter",
      isLeader: true,
      schedulesLoaded: 1,
      lastApplied: { name: "announced", version: 1 },
    });
    expect(await redis.pttl(schedulerStatusKey(ns, "reporter"))).toBeGreaterThan(0);
    await scheduler.stop();
    expect(await redis.exists(schedulerStatusKey(ns, "reporter"))).toBe(0);
    await t.sql`DELETE FROM schedules WHERE name = 'announced'`;
  });

  it("picks up a raw SQL edit, which publishes nothing, within one poll interval", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 200 });
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('raw_edit', 'log', '0 0 1 1 *')`;
    await scheduler.start();
    expect(scheduler.status().schedulesLoaded).toBe(1);
    const applied = nextEvent<Applied>(
      scheduler.events,
      "applied",
      (e) => e.name === "raw_edit" && e.version === 2,
    );
    await t.sql`UPDATE schedules SET cron = '0 0 2 1 *' WHERE name = 'raw_edit'`;
    expect((await applied).source).toBe("poll");
    const removed = nextEvent(scheduler.events, "removed", (e: { name: string }) => e.name === "raw_edit");
    await t.sql`DELETE FROM schedules WHERE name = 'raw_edit'`;
    await removed;
    expect(scheduler.status().schedulesLoaded).toBe(0);
    await scheduler.stop();
  });

  it("does not miss a transaction that took its xid first but committed last", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('ooo_a', 'log', '0 0 1 1 *'), ('ooo_b', 'log', '0 0 1 1 *')`;
    const { watermark: start } = await loadEnabledSchedules(t.db);
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 100 });
    await scheduler.start();
    const early = await t.sql.reserve();
    const late = await t.sql.reserve();
    try {
      await early`BEGIN`;
      await early`UPDATE schedules SET description = 'first xid, last commit' WHERE name = 'ooo_a'`;
      await late`BEGIN`;
      await late`UPDATE schedules SET description = 'second xid, first commit' WHERE name = 'ooo_b'`;
      const appliedB = nextEvent<Applied>(
        scheduler.events,
        "applied",
        (e) => e.name === "ooo_b" && e.version === 2,
      );
      await late`COMMIT`;
      await appliedB;
      // A poll reading while the early transaction is open sees b, not a...
      const first = await loadChangesSince(t.db, start);
      // (the watermark is the snapshot's xmin, which is cluster-wide: a transaction open in another
      // database may widen the window to earlier changes of this file, so compare this test's rows)
      const ownChanges = first.changes.filter((c) => c.name.startsWith("ooo_") && c.version === 2);
      expect(ownChanges.map((c) => c.name)).toEqual(["ooo_b"]);
      const appliedA = nextEvent<Applied>(
        scheduler.events,
        "applied",
        (e) => e.name === "ooo_a" && e.version === 2,
      );
      await early`COMMIT`;
      // ...and the next one, from the watermark the first one left, sees a.
      const second = await loadChangesSince(t.db, first.watermark);
      expect(second.changes.map((c) => [c.name, c.version])).toContainEqual(["ooo_a", 2]);
      expect((await appliedA).source).toBe("poll");
    } finally {
      early.release();
      late.release();
    }
    // Why a sequence watermark fails here: a's history row has the smaller id but committed last.
    const ids = await t.db
      .select({ name: scheduleHistory.scheduleName, id: scheduleHistory.id })
      .from(scheduleHistory)
      .where(eq(scheduleHistory.version, 2));
    const idOf = (name: string) => ids.find((r) => r.name === name)!.id;
    expect(idOf("ooo_a")).toBeLessThan(idOf("ooo_b"));
    await scheduler.stop();
  });

  it("resyncs as soon as its subscription is back, and applies the next change without the poll", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 60_000 });
    const writer = createTestWriter(t);
    await writer.create({ name: "survivor", task: "log", cron: "0 0 1 1 *" }, ctx);
    await scheduler.start();
    const resynced = nextEvent(scheduler.events, "resynced");
    await killSubscriber(createTestRedis(), scheduler);
    await resynced;
    const applied = nextEvent<Applied>(
      scheduler.events,
      "applied",
      (e) => e.name === "survivor" && e.version === 2,
    );
    const startedAt = performance.now();
    await writer.update("survivor", { cron: "0 0 2 1 *" }, ctx);
    const event = await applied;
    expectLive(startedAt, event);
    expect(event.source).toBe("message");
    await scheduler.stop();
  });

  it("logs and skips a schedule whose cron no longer parses, and keeps firing the others", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 100 });
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('broken', 'log', 'not a cron at all')`;
    const invalid = nextEvent(scheduler.events, "invalid", (e: { name: string }) => e.name === "broken");
    await scheduler.start();
    await invalid;
    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "healthy");
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('healthy', 'log', '* * * * * *')`;
    await fired;
    const rows = await t.db.select().from(runs).where(eq(runs.scheduleName, "broken"));
    expect(rows.length).toBe(0);
    await scheduler.stop();
  });
});
