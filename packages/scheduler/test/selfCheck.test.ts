import { asc, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runs, type Schedule } from "@hotbeat/shared";
import { HeldSchedules } from "../src/timeline/heldSchedules.js";
import { checkTimeline } from "../src/timeline/checkTimeline.js";
import { createTestDatabase, testLogger } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

const changedAt = new Date("2030-01-01T00:00:00Z");
const row = (name: string): Schedule => ({
  name,
  task: "log",
  description: "",
  cron: "0 * * * *",
  intervalSeconds: null,
  runAt: null,
  timezone: "UTC",
  payload: {},
  enabled: true,
  startAt: null,
  endAt: null,
  misfirePolicy: "run_once",
  misfireGraceSeconds: 300,
  overlapPolicy: "allow",
  jitterSeconds: 0,
  labels: {},
  exclude: [],
  calendars: [],
  calendarRevision: 0,
  pausedUntil: null,
  pauseMode: "skip",
  alert: null,
  version: 1,
  intervalAnchorAt: null,
  createdAt: changedAt,
  updatedAt: changedAt,
  updatedBy: "test",
});

describe("the self-check", () => {
  it("re-places a schedule missing from the timeline and one stuck there past its grace", async () => {
    const held = new HeldSchedules(testLogger());
    for (const name of ["lost", "stuck", "fine"]) held.apply(name, row(name), 1, changedAt.getTime());
    held.timeline.remove(held.get("lost")!);
    held.timeline.upsert(held.get("stuck")!, Date.parse("2029-12-01T00:00:00Z"));
    const nowMs = Date.parse("2029-12-31T23:59:00Z");

    expect(await checkTimeline(held, nowMs, testLogger())).toEqual([
      { name: "lost", reason: "missing_from_timeline" },
      { name: "stuck", reason: "stuck_in_timeline" },
    ]);
    expect(held.timeline.dueAtOf(held.get("lost")!)).toBe(Date.parse("2030-01-01T00:00:00Z"));
    expect(held.timeline.dueAtOf(held.get("stuck")!)).toBe(Date.parse("2030-01-01T00:00:00Z"));
    expect(await checkTimeline(held, nowMs, testLogger())).toEqual([]);
  });
});

describe("the self-check of the run rows", () => {
  it("records a due instant whose run row was deleted behind the scheduler's back, by the misfire policy", async () => {
    const t = await createTestDatabase();
    const names = ["unrecorded_skip", "unrecorded_once"];
    // Every 10 s from a whole ten seconds ahead of the database's clock; 5 s of grace.
    const anchorMs = Math.ceil(Date.now() / 10_000) * 10_000 + 10_000;
    for (const [name, policy] of [
      ["unrecorded_skip", "skip"],
      ["unrecorded_once", "run_once"],
    ])
      await t.sql`INSERT INTO schedules (name, task, interval_seconds, start_at, misfire_policy, misfire_grace_seconds)
        VALUES (${name!}, 'log', 10, ${new Date(anchorMs).toISOString()}, ${policy!}, 5)`;
    const clock = new FakeClock(anchorMs - 1000);
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
      clock,
      lease: { ttlMs: 24 * 3_600_000 },
      pollIntervalMs: 60_000,
    });
    const leading = nextEvent(scheduler.events, "leading");
    await scheduler.start();
    await leading;
    const step = async (ms: number) => {
      const handled = names.map((name) =>
        nextEvent<{ name: string }>(scheduler.events, "handled", (e) => e.name === name),
      );
      clock.advance(ms);
      await Promise.all(handled);
      // The plans re-arm the wake timer once they have settled, a turn after `handled`.
      await new Promise((resolve) => setImmediate(resolve));
    };
    await step(1000);
    for (let k = 1; k <= 5; k++) await step(10_000);
    const lastAt = new Date(anchorMs + 50_000);
    await t.sql`DELETE FROM runs WHERE scheduled_at = ${lastAt.toISOString()}`;

    const repairs: Array<{ name: string; reason: string; at?: Date }> = [];
    scheduler.events.on("repaired", (repair) => repairs.push(repair));
    const checked = nextEvent(scheduler.events, "selfChecked");
    // The poll, and the self-check after it, come 60 s after the start: at anchor + 59 s.
    clock.advance(9000);
    await checked;
    await scheduler.stop();

    expect(repairs.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      ["unrecorded_once", "unrecorded_skip"].map((name) => ({
        name,
        reason: "instant_without_run",
        at: lastAt,
      })),
    );
    const allRows = await t.db
      .select()
      .from(runs)
      .where(inArray(runs.scheduleName, names))
      .orderBy(asc(runs.scheduleName), asc(runs.scheduledAt));
    // The next fires (anchor + 60 s) are recorded ahead of their instant, not yet enqueued.
    const ahead = allRows.filter((r) => r.scheduledAt > lastAt);
    expect(ahead.every((r) => r.status === "queued" && r.enqueuedAt === null)).toBe(true);
    const rows = allRows.filter((r) => r.scheduledAt <= lastAt);
    const lastOf = (name: string) => rows.filter((r) => r.scheduleName === name).at(-1)!;
    expect(rows).toHaveLength(12);
    expect(lastOf("unrecorded_skip")).toMatchObject({ scheduledAt: lastAt, status: "missed" });
    expect(lastOf("unrecorded_skip").error).toMatch(
      /^missed: no run was recorded for it \(found by the self-check 9 s late\), misfire policy skip$/,
    );
    expect(lastOf("unrecorded_once")).toMatchObject({ scheduledAt: lastAt, status: "queued" });
    expect(await scheduler.renderMetrics()).toMatch(
      /hotbeat_selfcheck_repairs_total\{reason="instant_without_run"\} 2/,
    );
  });
});
