import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadCursors,
  markEnqueued,
  recordRun,
  runJobId,
  runs,
  saveCursor,
  schedules,
  type Schedule,
} from "@hotbeat/shared";
import type { FiredEvent } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { buildScheduler, createTestQueue, createTestWriter, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const DAY_MS = 86_400_000;

/** Makes schedules look created a month ago; the triggers would stamp now(), so they are bypassed. */
async function backdate(names: string[]): Promise<void> {
  await t.sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`UPDATE schedules SET created_at = now() - interval '30 days', updated_at = now() - interval '30 days' WHERE name IN ${tx(names)}`;
  });
}

async function runsOf(name: string) {
  return t.db.select().from(runs).where(eq(runs.scheduleName, name)).orderBy(asc(runs.scheduledAt));
}

describe("firing", () => {
  it("applies each misfire policy to ten missed daily fires: skip 0, run_once 1, run_all 10, and records the others as missed", async () => {
    const policies = ["skip", "run_once", "run_all"] as const;
    for (const policy of policies) {
      await t.db.insert(schedules).values({
        name: `missed_${policy}`,
        task: "log",
        cron: "0 0 * * *",
        misfirePolicy: policy,
        misfireGraceSeconds: 0,
      });
    }
    await backdate(policies.map((p) => `missed_${p}`));
    const todayAt = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const cursorAt = new Date(todayAt - 9.5 * DAY_MS);
    for (const policy of policies) await saveCursor(t.db, `missed_${policy}`, cursorAt);

    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    const handled = new Map<string, { fired: number; missed: number }>();
    const allHandled = nextEvent<{ name: string; fired: number; missed: number }>(
      scheduler.events,
      "handled",
      (e) => handled.set(e.name, e).size === 3,
    );
    await scheduler.start();
    await allHandled;
    await scheduler.stop();

    const queuedOf = async (name: string) => (await runsOf(name)).filter((r) => r.status === "queued");
    expect(await queuedOf("missed_skip")).toEqual([]);
    // Every fire that does not run is a row, with its reason.
    const skipped = await runsOf("missed_skip");
    expect(skipped.map((r) => r.status)).toEqual(Array(10).fill("missed"));
    expect(skipped[0]!.error).toMatch(/^missed: \d+ s late, misfire policy skip$/);
    const once = await queuedOf("missed_run_once");
    expect(once.map((r) => r.scheduledAt.getTime())).toEqual([todayAt]);
    const onceMissed = (await runsOf("missed_run_once")).filter((r) => r.status === "missed");
    expect(onceMissed.length).toBe(9);
    expect(onceMissed[0]!.error).toMatch(/misfire policy run_once ran the latest$/);
    const all = await runsOf("missed_run_all");
    expect(all.map((r) => r.scheduledAt.getTime())).toEqual(
      Array.from({ length: 10 }, (_, i) => todayAt - (9 - i) * DAY_MS),
    );
    expect([...handled.values()].map((h) => h.missed)).toEqual([10, 10, 10]);
    const cursors = await loadCursors(t.db);
    for (const policy of policies)
      expect(cursors.get(`missed_${policy}`)!.getTime()).toBeGreaterThan(todayAt);
  });

  it("enqueues a run that was recorded but never queued, and queued and running ones whose job Redis lost", async () => {
    // Earlier tests' runs sit in other queues; only this test's two may be candidates.
    await t.db.update(runs).set({ status: "succeeded" });
    const [schedule] = (await t.db
      .insert(schedules)
      .values({ name: "sweep_me", task: "log", cron: "0 0 1 1 *" })
      .returning()) as [Schedule];
    // Past: a row recorded before its instant and never enqueued is the leader's (see runsAhead).
    const neverQueued = await recordRun(t.db, {
      schedule,
      scheduledAt: new Date("2020-01-01T00:00:00Z"),
      kind: "schedule",
    });
    const lost = await recordRun(t.db, {
      schedule,
      scheduledAt: new Date("2029-06-01T00:00:00Z"),
      kind: "schedule",
    });
    await markEnqueued(t.db, lost.run.id);
    const lostMidTask = await recordRun(t.db, {
      schedule,
      scheduledAt: new Date("2029-09-01T00:00:00Z"),
      kind: "schedule",
    });
    await markEnqueued(t.db, lostMidTask.run.id);
    await t.db
      .update(runs)
      .set({ status: "running", startedAt: new Date() })
      .where(eq(runs.id, lostMidTask.run.id));
    const ns = uniqueId("ns");
    const queue = createTestQueue(ns);
    const scheduler = buildScheduler(t, ns, queue, { sweepIntervalMs: 100, sweepOlderThanMs: 0 });
    const requeued = new Set<string>();
    const both = nextEvent<{ runId: string }>(
      scheduler.events,
      "requeued",
      (e) => requeued.add(e.runId).size === 3,
    );
    await scheduler.start();
    await both;
    await scheduler.stop();
    expect([...requeued].sort()).toEqual([neverQueued.run.id, lost.run.id, lostMidTask.run.id].sort());
    expect((await queue.getJob(runJobId(neverQueued.run.id)))?.data.runId).toBe(neverQueued.run.id);
    expect((await queue.getJob(runJobId(lost.run.id)))?.data.runId).toBe(lost.run.id);
    expect((await queue.getJob(runJobId(lostMidTask.run.id)))?.data.runId).toBe(lostMidTask.run.id);
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 3 });
    expect((await runsOf("sweep_me")).every((r) => r.enqueuedAt !== null)).toBe(true);
  });

  it("fires a new interval schedule at its anchor, then every interval after it, never drifting", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    await scheduler.start();
    const fired: FiredEvent[] = [];
    const two = nextEvent<FiredEvent>(
      scheduler.events,
      "fired",
      (e) => e.name === "every_two_seconds" && fired.push(e) === 2,
    );
    const { schedule: row } = await createTestWriter(t).create(
      { name: "every_two_seconds", task: "log", intervalSeconds: 2 },
      { actor: "test", source: "api" },
    );
    await two;
    await scheduler.stop();
    expect(fired.map((e) => e.scheduledAt.getTime())).toEqual([
      row.intervalAnchorAt!.getTime(),
      row.intervalAnchorAt!.getTime() + 2000,
    ]);
  });

  it("records fires as skipped while the previous run is still active under overlapPolicy skip", async () => {
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    const fires: FiredEvent[] = [];
    const three = nextEvent<FiredEvent>(
      scheduler.events,
      "fired",
      (e) => e.name === "no_overlap" && fires.push(e) === 3,
    );
    await t.db
      .insert(schedules)
      .values({ name: "no_overlap", task: "log", cron: "* * * * * *", overlapPolicy: "skip" });
    await scheduler.start();
    await three;
    await scheduler.stop();
    const rows = await runsOf("no_overlap");
    expect(rows.length).toBe(fires.length);
    expect(rows.filter((r) => r.status === "queued").length).toBe(1);
    expect(rows[0]!.status).toBe("queued");
    expect(rows.slice(1).every((r) => r.status === "skipped" && r.enqueuedAt === null)).toBe(true);
    expect(rows.slice(1).every((r) => r.error?.includes("overlap policy skip"))).toBe(true);
  });

  it("keeps an interval schedule's phase across a restart", async () => {
    const [created] = await t.db
      .insert(schedules)
      .values({ name: "phase", task: "log", intervalSeconds: 1 })
      .returning();
    const anchor = created!.intervalAnchorAt!;
    expect(anchor.getTime() % 1000).not.toBe(0);
    for (let round = 0; round < 2; round += 1) {
      const ns = uniqueId("ns");
      const scheduler = buildScheduler(t, ns, createTestQueue(ns));
      const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "phase");
      await scheduler.start();
      await fired;
      await scheduler.stop();
    }
    const rows = await runsOf("phase");
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => (r.scheduledAt.getTime() - anchor.getTime()) % 1000 === 0)).toBe(true);
  });
});
