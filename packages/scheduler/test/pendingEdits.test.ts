import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { leaderLeaseKey, loadCursors, runs, saveCursor } from "@hotbeat/shared";
import { computeJitterMs, type FiredEvent } from "../src/index.js";
import { createTestDatabase, createTestRedis, type TestDatabase } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";
import { buildScheduler, createTestQueue, createTestWriter, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const HOUR_MS = 3_600_000;
/** The lease's default delay between two tries to acquire it. */
const LEASE_TRY_MS = 1000;
const ctx = { actor: "test", source: "api" } as const;

/** Makes schedules (and their history) look created and last changed at `at`; the triggers would stamp now(). */
async function backdate(names: string[], at: string): Promise<void> {
  await t.sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`UPDATE schedules SET created_at = ${at}, updated_at = ${at} WHERE name IN ${tx(names)}`;
    await tx`UPDATE schedule_history SET changed_at = ${at} WHERE schedule_name IN ${tx(names)}`;
  });
}

/** Resolves once a statement of this database waits for a lock; the wait itself is the event. */
async function waitForLockWaiter(): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const [row] = await t.sql<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no statement ever waited for the lock");
}

async function runsOf(name: string) {
  return t.db.select().from(runs).where(eq(runs.scheduleName, name)).orderBy(asc(runs.scheduledAt));
}

describe("an edit of a schedule with fires pending", () => {
  it("keeps a jittered fire whose nominal instant passed before a description-only edit", async () => {
    const nominalAt = new Date("2020-01-01T00:00:00Z");
    const jitterMs = computeJitterMs("jittered_report", nominalAt, 3600);
    expect(jitterMs).toBeGreaterThan(2000);
    await t.sql`INSERT INTO schedules (name, task, run_at, jitter_seconds)
      VALUES ('jittered_report', 'log', ${nominalAt.toISOString()}, 3600)`;
    await backdate(["jittered_report"], "2019-12-01T00:00:00Z");
    const clock = new FakeClock(nominalAt.getTime() - 60_000);
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
      clock,
      lease: { ttlMs: 24 * HOUR_MS },
      pollIntervalMs: 24 * HOUR_MS,
    });
    const leading = nextEvent(scheduler.events, "leading");
    await scheduler.start();
    await leading;
    clock.advance(61_000);

    const applied = nextEvent<{ name: string }>(
      scheduler.events,
      "applied",
      (e) => e.name === "jittered_report",
    );
    await createTestWriter(t).update("jittered_report", { description: "now with a description" }, ctx);
    await applied;
    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "jittered_report");
    clock.advance(jitterMs);
    expect((await fired).scheduledAt).toEqual(nominalAt);
    await scheduler.stop();
  });

  it("judges the instants missed before an edit made while no scheduler ran by the misfire policy", async () => {
    const topOfHourMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    for (const name of ["hourly_edited", "hourly_resumed"]) {
      await t.sql`INSERT INTO schedules (name, task, cron, misfire_policy, misfire_grace_seconds)
        VALUES (${name}, 'log', '0 * * * *', 'run_once', 0)`;
    }
    await backdate(
      ["hourly_edited", "hourly_resumed"],
      new Date(topOfHourMs - 30 * 24 * HOUR_MS).toISOString(),
    );
    for (const name of ["hourly_edited", "hourly_resumed"])
      await saveCursor(t.db, name, new Date(topOfHourMs - 2.5 * HOUR_MS));
    const writer = createTestWriter(t);
    await writer.update("hourly_edited", { description: "edited while down" }, ctx);
    // Paused just after the cursor, resumed now: the paused span owes nothing.
    await writer.update("hourly_resumed", { enabled: false }, ctx);
    await writer.update("hourly_resumed", { enabled: true }, ctx);
    await t.sql`UPDATE schedule_history SET changed_at = ${new Date(topOfHourMs - 2.5 * HOUR_MS + 60_000).toISOString()}
      WHERE schedule_name = 'hourly_resumed' AND new_value->>'enabled' = 'false'`;

    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns));
    const handled = nextEvent<{ name: string; fired: number; missed: number }>(
      scheduler.events,
      "handled",
      (e) => e.name === "hourly_edited",
    );
    await scheduler.start();
    expect(await handled).toMatchObject({ fired: 1, missed: 3 });
    await scheduler.stop();
    const edited = await runsOf("hourly_edited");
    expect(edited.filter((r) => r.status === "queued").map((r) => r.scheduledAt.getTime())).toEqual([
      topOfHourMs,
    ]);
    expect(await runsOf("hourly_resumed")).toEqual([]);
  });

  it("still fires a jittered instant whose nominal time passed before a live change to when it fires", async () => {
    const nominalAt = new Date("2020-01-01T00:00:00Z");
    const jitterMs = computeJitterMs("nightly_export", nominalAt, 3600);
    expect(jitterMs).toBeGreaterThan(120_000);
    await t.sql`INSERT INTO schedules (name, task, cron, jitter_seconds)
      VALUES ('nightly_export', 'log', '0 0 * * *', 3600)`;
    await backdate(["nightly_export"], "2019-12-31T12:00:00Z");
    const clock = new FakeClock(nominalAt.getTime() - 60_000);
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
      clock,
      lease: { ttlMs: 24 * HOUR_MS },
      pollIntervalMs: 24 * HOUR_MS,
    });
    const leading = nextEvent(scheduler.events, "leading");
    await scheduler.start();
    await leading;
    clock.advance(61_000);

    const applied = nextEvent<{ name: string }>(
      scheduler.events,
      "applied",
      (e) => e.name === "nightly_export",
    );
    await createTestWriter(t).update("nightly_export", { cron: "0 12 * * *" }, ctx);
    await applied;
    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "nightly_export");
    clock.advance(jitterMs);
    expect((await fired).scheduledAt).toEqual(nominalAt);
    await scheduler.stop();
  });
  it("records as skipped a jittered instant whose nominal time passed before a live pause", async () => {
    const nominalAt = new Date("2020-01-01T00:00:00Z");
    const jitterMs = computeJitterMs("paused_export", nominalAt, 3600);
    expect(jitterMs).toBeGreaterThan(120_000);
    await t.sql`INSERT INTO schedules (name, task, cron, jitter_seconds)
      VALUES ('paused_export', 'log', '0 0 * * *', 3600)`;
    await backdate(["paused_export"], "2019-12-31T12:00:00Z");
    const clock = new FakeClock(nominalAt.getTime() - 60_000);
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
      clock,
      lease: { ttlMs: 24 * HOUR_MS },
      pollIntervalMs: 24 * HOUR_MS,
    });
    const leading = nextEvent(scheduler.events, "leading");
    await scheduler.start();
    await leading;
    clock.advance(61_000);

    const recorded = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "paused_export");
    await createTestWriter(t).update("paused_export", { enabled: false }, ctx);
    expect(await recorded).toMatchObject({ scheduledAt: nominalAt, status: "skipped" });
    await scheduler.stop();
    expect((await runsOf("paused_export")).map((r) => [r.scheduledAt, r.status, r.error])).toEqual([
      [nominalAt, "skipped", "paused before its jittered fire"],
    ]);
  });

  it("tries again under the old timing a fire in flight that failed after a change to when it fires", async () => {
    const nominalAt = new Date("2020-01-01T00:00:00Z");
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('failing_export', 'log', '0 0 * * *')`;
    await backdate(["failing_export"], "2019-12-31T12:00:00Z");
    const clock = new FakeClock(nominalAt.getTime() - 60_000);
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
      clock,
      lease: { ttlMs: 24 * HOUR_MS },
      pollIntervalMs: 24 * HOUR_MS,
    });
    const leading = nextEvent(scheduler.events, "leading");
    await scheduler.start();
    await leading;

    // The run's insert waits behind a lock, so the fire is in flight while the edit arrives.
    let unlock!: () => void;
    const locked = new Promise<void>((resolve) => {
      void t.sql.begin(async (tx) => {
        await tx`LOCK TABLE runs IN EXCLUSIVE MODE`;
        resolve();
        await new Promise<void>((release) => (unlock = release));
      });
    });
    await locked;
    clock.advance(60_000);
    await waitForLockWaiter();
    const applied = nextEvent<{ name: string }>(
      scheduler.events,
      "applied",
      (e) => e.name === "failing_export",
    );
    await createTestWriter(t).update("failing_export", { cron: "0 12 * * *" }, ctx);
    await applied;
    const failed = nextEvent<{ name: string }>(
      scheduler.events,
      "failed",
      (e) => e.name === "failing_export",
    );
    await t.sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    await failed;
    unlock();
    // The plan re-arms the wake timer once it has settled, a turn after `failed`.
    await new Promise((resolve) => setImmediate(resolve));

    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "failing_export");
    clock.advance(1000);
    expect((await fired).scheduledAt).toEqual(nominalAt);
    await scheduler.stop();
  });
});

describe("an edit made while no scheduler was leading", () => {
  // A leader died at `cursorAt` with a schedule firing every 20 minutes since then; a follower
  // applies an edit before it takes over. The gap owes the timing in force at each instant.
  async function startFollowerAfterDeadLeader(name: string) {
    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    const cursorAt = new Date(nowMs - (3 * 60 + 5) * 60_000);
    await t.sql`INSERT INTO schedules (name, task, interval_seconds, start_at, misfire_policy, misfire_grace_seconds)
      VALUES (${name}, 'log', 1200, ${cursorAt.toISOString()}, 'run_all', 600)`;
    await backdate([name], new Date(cursorAt.getTime() - 24 * HOUR_MS).toISOString());
    await saveCursor(t.db, name, cursorAt);
    const ns = uniqueId("ns");
    const redis = createTestRedis();
    // The dead leader's lease, still in Redis: this scheduler starts as a follower.
    await redis.set(leaderLeaseKey(ns), "dead-leader", "PX", 24 * HOUR_MS);
    const clock = new FakeClock(nowMs);
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
      clock,
      lease: { ttlMs: 24 * HOUR_MS },
      pollIntervalMs: 24 * HOUR_MS,
    });
    await scheduler.start();
    expect(scheduler.status().isLeader).toBe(false);
    return {
      scheduler,
      clock,
      minutesAfterCursor: (minutes: number) => cursorAt.getTime() + minutes * 60_000,
      /**
       * The lease expires: the follower takes over at its next attempt. A lease round still in
       * flight re-arms its timer only once Redis answered, so time moves a try (1 s) at a time,
       * each step only once that timer is armed, until the scheduler leads.
       */
      async takeOver() {
        await redis.del(leaderLeaseKey(ns));
        let isLeading = false;
        const leading = nextEvent(scheduler.events, "leading").then(() => {
          isLeading = true;
        });
        while (!isLeading) {
          await Promise.race([clock.timerArmed(LEASE_TRY_MS), leading]);
          if (!isLeading) clock.advance(LEASE_TRY_MS);
          await Promise.race([new Promise((resolve) => setImmediate(resolve)), leading]);
        }
      },
    };
  }
  const owedByOldTiming = [20, 40, 60, 80, 100, 120, 140, 160, 180];

  it("fires what the old timing owed before the edit and nothing the new one would have owed then", async () => {
    const { scheduler, clock, minutesAfterCursor, takeOver } =
      await startFollowerAfterDeadLeader("edited_in_gap");
    const applied = nextEvent<{ name: string }>(
      scheduler.events,
      "applied",
      (e) => e.name === "edited_in_gap",
    );
    await createTestWriter(t).update("edited_in_gap", { intervalSeconds: 1800 }, ctx);
    await applied;
    const handled = nextEvent<{ name: string }>(
      scheduler.events,
      "handled",
      (e) => e.name === "edited_in_gap",
    );
    await takeOver();
    await handled;
    // The plan re-arms the wake timer once it has settled, a turn after `handled`.
    await new Promise((resolve) => setImmediate(resolve));
    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "edited_in_gap");
    clock.advance(25 * 60_000);
    expect((await fired).scheduledAt.getTime()).toBe(minutesAfterCursor(210));
    await scheduler.stop();

    expect((await runsOf("edited_in_gap")).map((r) => [r.scheduledAt.getTime(), r.status])).toEqual(
      [...owedByOldTiming, 210].map((minutes) => [minutesAfterCursor(minutes), "queued"]),
    );
  });

  it("fires what came due before a pause, though the paused schedule is no longer held", async () => {
    const { scheduler, minutesAfterCursor, takeOver } = await startFollowerAfterDeadLeader("paused_in_gap");
    const removed = nextEvent<{ name: string }>(
      scheduler.events,
      "removed",
      (e) => e.name === "paused_in_gap",
    );
    await createTestWriter(t).update("paused_in_gap", { enabled: false }, ctx);
    await removed;
    const seen: FiredEvent[] = [];
    const allFired = nextEvent<FiredEvent>(
      scheduler.events,
      "fired",
      (e) => e.name === "paused_in_gap" && seen.push(e) === owedByOldTiming.length,
    );
    await takeOver();
    await allFired;
    await scheduler.stop();

    expect((await runsOf("paused_in_gap")).map((r) => [r.scheduledAt.getTime(), r.status])).toEqual(
      owedByOldTiming.map((minutes) => [minutesAfterCursor(minutes), "queued"]),
    );
    const cursorAfter = (await loadCursors(t.db)).get("paused_in_gap");
    expect(cursorAfter!.getTime()).toBeGreaterThan(minutesAfterCursor(180));
  });
});
