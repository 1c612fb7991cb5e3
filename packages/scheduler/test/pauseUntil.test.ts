import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  getSchedule,
  listScheduleHistory,
  runs,
  saveCursor,
  type MisfirePolicy,
  type PauseMode,
} from "@hotbeat/shared";
import { PAUSED_REASON, type HandledEvent, type ResumedEvent } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";
import { buildScheduler, createTestQueue, createTestWriter, nextEvent, uniqueId } from "./support.js";

const DAY_MS = 86_400_000;

/**
 * An hourly schedule created on 2029-12-31, last handled at 01:00 on 2030-01-01, paused at 01:30
 * until 05:00 through the write path; history and timestamps are moved to those instants.
 */
async function preparePaused(mode: PauseMode, policy: MisfirePolicy = "run_once"): Promise<TestDatabase> {
  const t = await createTestDatabase();
  await t.sql`INSERT INTO schedules (name, task, cron, misfire_policy) VALUES ('hourly', 'log', '0 * * * *', ${policy})`;
  await createTestWriter(t).update(
    "hourly",
    { enabled: false, pausedUntil: "2030-01-01T05:00:00Z", pauseMode: mode },
    { actor: "alice", source: "api" },
  );
  await t.sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`UPDATE schedules SET created_at = '2029-12-31T00:00:00Z', updated_at = '2030-01-01T01:30:00Z'`;
    await tx`UPDATE schedule_history SET changed_at = CASE op WHEN 'insert' THEN '2029-12-31T00:00:00Z'::timestamptz
      ELSE '2030-01-01T01:30:00Z'::timestamptz END`;
  });
  await saveCursor(t.db, "hourly", new Date("2030-01-01T01:00:00Z"));
  return t;
}

async function startAt(t: TestDatabase, iso: string) {
  const clock = new FakeClock(Date.parse(iso));
  const ns = uniqueId("ns");
  const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
    clock,
    lease: { ttlMs: 30 * DAY_MS },
    pollIntervalMs: 30 * DAY_MS,
  });
  const leading = nextEvent(scheduler.events, "leading");
  await scheduler.start();
  await leading;
  return { clock, scheduler };
}

async function runsOf(t: TestDatabase) {
  const rows = await t.db
    .select()
    .from(runs)
    .where(eq(runs.scheduleName, "hourly"))
    .orderBy(asc(runs.scheduledAt));
  return rows.map((r) => [r.scheduledAt.toISOString().slice(11, 16), r.status, r.error]);
}

describe("a pause with pausedUntil", () => {
  it("ends exactly at pausedUntil through the write path (hotbeat, scheduler, pause ended); skip mode records the paused fires", async () => {
    const t = await preparePaused("skip");
    const { clock, scheduler } = await startAt(t, "2030-01-01T04:00:00Z");
    clock.advance(Date.parse("2030-01-01T04:59:59.999Z") - clock.now());
    const resumed = nextEvent<ResumedEvent>(scheduler.events, "resumed");
    clock.advance(1);
    const event = await resumed;
    expect(event.startedAt.toISOString()).toBe("2030-01-01T05:00:00.000Z");
    expect(event).toMatchObject({ name: "hourly", skipped: 3 });

    const handled = nextEvent<HandledEvent>(scheduler.events, "handled");
    clock.advance(0);
    expect((await handled).fired).toBe(1);
    await scheduler.stop();

    expect(await runsOf(t)).toEqual([
      ["02:00", "skipped", PAUSED_REASON],
      ["03:00", "skipped", PAUSED_REASON],
      ["04:00", "skipped", PAUSED_REASON],
      ["05:00", "queued", null],
    ]);
    const [latest] = await listScheduleHistory(t.db, "hourly");
    expect(latest).toMatchObject({ actor: "hotbeat", source: "scheduler", note: "pause ended" });
    expect(latest!.newValue).toMatchObject({ enabled: true, paused_until: null });
    expect(await getSchedule(t.db, "hourly")).toMatchObject({ enabled: true, pausedUntil: null });
  });

  it("hands the fires of a catch_up pause to the misfire policy on resume: run_once runs the latest and 05:00", async () => {
    const t = await preparePaused("catch_up", "run_once");
    const { clock, scheduler } = await startAt(t, "2030-01-01T04:59:00Z");
    const resumed = nextEvent<ResumedEvent>(scheduler.events, "resumed");
    clock.advance(60_000);
    expect((await resumed).cursorAt.toISOString()).toBe("2030-01-01T01:00:00.000Z");
    const handled = nextEvent<HandledEvent>(scheduler.events, "handled");
    clock.advance(0);
    expect(await handled).toMatchObject({ fired: 2, missed: 3 });
    await scheduler.stop();

    const late = "misfire policy run_once ran the latest";
    expect(await runsOf(t)).toEqual([
      ["02:00", "missed", `missed: 10800 s late, ${late}`],
      ["03:00", "missed", `missed: 7200 s late, ${late}`],
      ["04:00", "queued", null],
      ["05:00", "queued", null],
    ]);
  });

  it("ends at once, at start-up, a pause whose pausedUntil has passed; what fell due since goes through the policy", async () => {
    const t = await preparePaused("skip", "run_once");
    // The resume starts as the scheduler starts leading; it ends after a few statements.
    const { clock, scheduler } = await startAt(t, "2030-01-01T06:00:00Z");
    const event = await nextEvent<ResumedEvent>(scheduler.events, "resumed");
    expect(event.startedAt.toISOString()).toBe("2030-01-01T06:00:00.000Z");
    const handled = nextEvent<HandledEvent>(scheduler.events, "handled");
    clock.advance(0);
    expect(await handled).toMatchObject({ fired: 2 });
    await scheduler.stop();

    expect(await runsOf(t)).toEqual([
      ["02:00", "skipped", PAUSED_REASON],
      ["03:00", "skipped", PAUSED_REASON],
      ["04:00", "skipped", PAUSED_REASON],
      ["05:00", "queued", null],
      ["06:00", "queued", null],
    ]);
  });

  it("follows a pausedUntil moved while paused: nothing at the old instant, the end at the new one", async () => {
    const t = await preparePaused("skip");
    const { clock, scheduler } = await startAt(t, "2030-01-01T04:00:00Z");
    const applied = nextEvent<{ name: string }>(scheduler.events, "applied", (e) => e.name === "hourly");
    await createTestWriter(t).update(
      "hourly",
      { pausedUntil: "2030-01-01T07:00:00Z" },
      { actor: "alice", source: "api" },
    );
    await applied;
    const resumed = nextEvent<ResumedEvent>(scheduler.events, "resumed");
    clock.advance(3 * 3_600_000);
    const event = await resumed;
    expect(event).toMatchObject({ skipped: 5 });
    expect(event.startedAt.toISOString()).toBe("2030-01-01T07:00:00.000Z");
    await scheduler.stop();
    expect((await runsOf(t)).map(([at]) => at)).toEqual(["02:00", "03:00", "04:00", "05:00", "06:00"]);
  });
});
