import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCursors, runs } from "@hotbeat/shared";
import type { HandledEvent } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe("exclusions at fire time", () => {
  it("records the fires of excluded dates as skipped runs with the date or the calendar, and one a calendar gains live", async () => {
    await t.sql`INSERT INTO calendars (name, dates) VALUES ('company-days', '["2030-01-03"]')`;
    await t.sql`INSERT INTO schedules (name, task, cron, timezone, exclude, calendars)
      VALUES ('holiday_report', 'log', '0 9 * * *', 'UTC', '["2030-01-02"]', '["company-days"]')`;
    await t.sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`UPDATE schedules SET created_at = '2030-01-01T00:00:00Z', updated_at = '2030-01-01T00:00:00Z'`;
    });
    const clock = new FakeClock(Date.parse("2030-01-01T08:00:00Z"));
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), {
      clock,
      lease: { ttlMs: 30 * DAY_MS },
      pollIntervalMs: 12 * HOUR_MS,
    });
    const leading = nextEvent(scheduler.events, "leading");
    await scheduler.start();
    await leading;
    const handledAt = async (iso: string) => {
      const handled = nextEvent<HandledEvent>(
        scheduler.events,
        "handled",
        (e) => e.cursorAt.toISOString() === iso,
      );
      clock.advance(Date.parse(iso) - clock.now());
      return handled;
    };
    expect((await handledAt("2030-01-01T09:00:00.000Z")).fired).toBe(1);
    expect((await handledAt("2030-01-02T09:00:00.000Z")).fired).toBe(0);
    // Each day's advance sets off one poll (and its self-check); the next is armed 12 h after it
    // ends. Waiting for it here keeps the one below from still being in flight when the clock moves.
    const pollDone = nextEvent(scheduler.events, "selfChecked");
    expect((await handledAt("2030-01-03T09:00:00.000Z")).fired).toBe(0);
    await pollDone;

    // A raw SQL edit of the calendar bumps the schedule's version; the poll brings the new dates.
    await t.sql`UPDATE calendars SET dates = '["2030-01-03", "2030-01-04"]' WHERE name = 'company-days'`;
    const polled = nextEvent<{ name: string; source: string }>(
      scheduler.events,
      "applied",
      (e) => e.name === "holiday_report" && e.source === "poll",
    );
    clock.advance(12 * HOUR_MS);
    await polled;
    expect((await handledAt("2030-01-04T09:00:00.000Z")).fired).toBe(0);
    expect((await handledAt("2030-01-05T09:00:00.000Z")).fired).toBe(1);
    await scheduler.stop();

    const rows = await t.db
      .select()
      .from(runs)
      .where(eq(runs.scheduleName, "holiday_report"))
      .orderBy(asc(runs.scheduledAt));
    expect(rows.map((r) => [r.scheduledAt.toISOString().slice(0, 10), r.status, r.error])).toEqual([
      ["2030-01-01", "queued", null],
      ["2030-01-02", "skipped", "excluded: 2030-01-02"],
      ["2030-01-03", "skipped", "excluded by calendar company-days (2030-01-03)"],
      ["2030-01-04", "skipped", "excluded by calendar company-days (2030-01-04)"],
      ["2030-01-05", "queued", null],
    ]);
    expect((await loadCursors(t.db)).get("holiday_report")?.toISOString()).toBe("2030-01-05T09:00:00.000Z");
  });
});
