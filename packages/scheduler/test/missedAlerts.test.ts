import { asc, eq } from "drizzle-orm";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALERTS_QUEUE,
  noteMissedFires,
  runs,
  saveCursor,
  scheduleAlertStates,
  type AlertDeps,
  type AlertJobData,
} from "@hotbeat/shared";
import { createTestDatabase, createTestRedis, testLogger, type TestDatabase } from "../../../test/helpers.js";
import { watchMissedFires, type MissedNotedEvent } from "../src/index.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
const ns = uniqueId("ns");
let alertQueue: Queue;
let deps: AlertDeps;
beforeAll(async () => {
  t = await createTestDatabase();
  alertQueue = new Queue(ALERTS_QUEUE, { connection: createTestRedis(), prefix: ns });
  deps = {
    db: t.db,
    queue: alertQueue,
    settings: { defaultUrl: undefined, defaultAfterFailures: 3, apiUrl: "http://127.0.0.1:3000" },
    log: testLogger(),
  };
});
afterAll(async () => {
  await alertQueue.obliterate({ force: true });
  await alertQueue.close();
});

/** A per-minute schedule whose scheduler was last running `downMinutes` ago, created long before. */
async function createDownSchedule(name: string, alert: unknown, downMinutes: number): Promise<number> {
  await t.sql`INSERT INTO schedules (name, task, cron, misfire_policy, misfire_grace_seconds, alert)
    VALUES (${name}, 'log', '* * * * *', 'run_once', 60, ${alert === null ? null : JSON.stringify(alert)}::jsonb)`;
  await t.sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`UPDATE schedules SET created_at = now() - interval '1 day', updated_at = now() - interval '1 day'
      WHERE name = ${name}`;
  });
  const cursorMs = Math.floor(Date.now() / 60_000) * 60_000 - downMinutes * 60_000;
  await saveCursor(t.db, name, new Date(cursorMs));
  return cursorMs;
}

async function startAndNote(name: string): Promise<MissedNotedEvent> {
  const scheduler = buildScheduler(t, ns, createTestQueue(ns));
  const alerts = watchMissedFires(scheduler.events, deps);
  const noted = nextEvent<MissedNotedEvent>(alerts, "noted", (e) => e.schedule === name);
  // Stopped whatever happens: a scheduler left running keeps the namespace's lease, and the next
  // test's scheduler would then only follow and never note anything.
  try {
    await scheduler.start();
    return await noted;
  } finally {
    await scheduler.stop();
    await alerts.close();
  }
}

describe("missed alerts", () => {
  it("raises one alert after a scheduler downtime with run_once, counting every missed fire from first to last", async () => {
    const name = uniqueId("report_");
    await createDownSchedule(name, { url: "https://hooks.example.com/ops", afterFailures: 3 }, 13);
    const { alert } = await startAndNote(name);

    const missed = await t.db
      .select()
      .from(runs)
      .where(eq(runs.scheduleName, name))
      .orderBy(asc(runs.scheduledAt))
      .then((rows) => rows.filter((row) => row.status === "missed"));
    // Thirteen minutes down: the latest instant later than the grace runs, the ones before it are missed.
    expect(missed.length).toBeGreaterThanOrEqual(10);
    expect(alert).not.toBeNull();
    expect(alert!.target).toEqual({ url: "https://hooks.example.com/ops" });
    expect(alert!.body).toMatchObject({
      event: "missed",
      schedule: name,
      missedCount: missed.length,
      firstMissedAt: missed[0]!.scheduledAt.toISOString(),
      lastMissedAt: missed.at(-1)!.scheduledAt.toISOString(),
      url: `http://127.0.0.1:3000/api/v1/runs?schedule=${name}&status=missed`,
    });
    expect(alert!.body.error).toMatch(/misfire policy run_once ran the latest/);

    const jobs = (await alertQueue.getJobs(["waiting"])).filter((job) => job.id?.includes(name));
    expect(jobs.map((job) => job.id)).toEqual([alert!.key]);
    expect(jobs[0]!.data as AlertJobData).toEqual(alert);
    const [state] = await t.db
      .select()
      .from(scheduleAlertStates)
      .where(eq(scheduleAlertStates.scheduleName, name));
    expect(state).toMatchObject({ openEvent: "missed", lastAlertKey: alert!.key });
  });

  it("sends the same missed fires once however often they are raised (a retried plan, another scheduler)", async () => {
    const name = uniqueId("report_");
    const schedule = { name, alert: { url: "https://hooks.example.com/ops", afterFailures: 3 } };
    const missed = [0, 1, 2].map((i) => ({
      at: new Date(Date.parse("2026-03-01T08:00:00Z") + i * 60_000),
      reason: "missed: 600 s late, misfire policy skip",
    }));
    const first = await noteMissedFires(deps, schedule, missed, new Date("2026-03-01T08:10:00Z"));
    const again = await noteMissedFires(deps, schedule, missed, new Date("2026-03-01T08:10:01Z"));
    expect(again!.key).toBe(first!.key);
    const jobs = (await alertQueue.getJobs(["waiting"])).filter((job) => job.id?.includes(name));
    expect(jobs).toHaveLength(1);
  });

  it("raises no alert and keeps no bookkeeping for a schedule whose alert is null when no default is set", async () => {
    const name = uniqueId("report_");
    await createDownSchedule(name, null, 5);
    expect((await startAndNote(name)).alert).toBeNull();
    expect(
      await t.db.select().from(scheduleAlertStates).where(eq(scheduleAlertStates.scheduleName, name)),
    ).toEqual([]);
  });
});
