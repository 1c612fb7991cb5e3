import { Worker } from "bullmq";
import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { RUNS_QUEUE, runs, type RunJobData } from "@hotbeat/shared";
import type { FiredEvent } from "../src/index.js";
import { createTestDatabase, createTestRedis, type TestDatabase } from "../../../test/helpers.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

/** Resolves once `count` fires of `name` came from `emitter`, with them. */
function collectFires(emitter: NodeJS.EventEmitter, name: string, count: number): Promise<FiredEvent[]> {
  const seen: FiredEvent[] = [];
  return nextEvent<FiredEvent>(
    emitter,
    "fired",
    (e) => e.name === name && seen.push(e) >= count,
    15_000,
  ).then(() => seen);
}

describe("several schedulers", () => {
  it("fire every instant of a 1-second cron exactly once, and the follower takes over when the leader stops", async () => {
    const ns = uniqueId("ns");
    const queue = createTestQueue(ns);
    const processed: string[] = [];
    const worker = new Worker<RunJobData>(
      RUNS_QUEUE,
      (job) => Promise.resolve(void processed.push(job.data.runId)),
      {
        connection: createTestRedis(),
        prefix: ns,
      },
    );
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('every_second', 'log', '* * * * * *')`;
    const first = buildScheduler(t, ns, queue, { instanceId: "first" });
    const second = buildScheduler(t, ns, queue, { instanceId: "second" });
    const firstFires: FiredEvent[] = [];
    const secondFires: FiredEvent[] = [];
    first.events.on("fired", (e: FiredEvent) => firstFires.push(e));
    second.events.on("fired", (e: FiredEvent) => secondFires.push(e));
    await first.start();
    await second.start();
    expect([first.status().isLeader, second.status().isLeader]).toEqual([true, false]);

    await collectFires(first.events, "every_second", 4);
    const takeover = nextEvent<boolean>(second.events, "leader", (isLeader) => isLeader);
    const stoppedAtMs = Date.now();
    await first.stop();
    await takeover;
    const takeoverMs = Date.now() - stoppedAtMs;
    await collectFires(second.events, "every_second", 3);
    await second.stop();
    await worker.close();

    const rows = await t.db
      .select()
      .from(runs)
      .where(eq(runs.scheduleName, "every_second"))
      .orderBy(asc(runs.scheduledAt));
    const instants = rows.map((r) => r.scheduledAt.getTime());
    // Consecutive seconds, none twice, none skipped across the handover.
    expect(instants.every((at, i) => i === 0 || at - instants[i - 1]! === 1000)).toBe(true);
    expect(rows.length).toBe(firstFires.length + secondFires.length);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.enqueuedAt !== null)).toBe(true);
    expect(takeoverMs).toBeLessThan(2000);
    const jobCounts = await queue.getJobCounts("completed", "waiting", "active");
    expect((jobCounts.completed ?? 0) + (jobCounts.waiting ?? 0) + (jobCounts.active ?? 0)).toBe(rows.length);
    expect(new Set(processed).size).toBe(processed.length);
  });

  it("takes over a lease whose holder died without releasing it, once its TTL ran out", async () => {
    const ns = uniqueId("ns");
    const lease = { ttlMs: 1500, renewEveryMs: 400, acquireEveryMs: 300 };
    // A leader killed with -9: its key stays, nobody renews it.
    await createTestRedis().set(`${ns}:scheduler:leader`, "a-dead-process", "PX", lease.ttlMs);
    const diedAtMs = Date.now();
    const survivor = buildScheduler(t, ns, createTestQueue(ns), { instanceId: "survivor", lease });
    const takeover = nextEvent<boolean>(survivor.events, "leader", (isLeader) => isLeader, 5000);
    await survivor.start();
    expect(survivor.status().isLeader).toBe(false);
    await takeover;
    const takeoverMs = Date.now() - diedAtMs;
    expect(takeoverMs).toBeGreaterThanOrEqual(1400);
    expect(takeoverMs).toBeLessThan(1500 + 2 * lease.acquireEveryMs + 500);
    expect(survivor.status().isLeader).toBe(true);
    await survivor.stop();
    expect(await createTestRedis().exists(`${ns}:scheduler:leader`)).toBe(0);
  });
});
