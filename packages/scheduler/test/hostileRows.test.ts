import { beforeAll, describe, expect, it } from "vitest";
import { checkTiming, type ScheduleTiming } from "@hotbeat/shared";
import type { FiredEvent, Scheduler } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const OTHERS = Array.from({ length: 9 }, (_, i) => `steady_${i}`);

/** Hostile values a raw SQL edit can give one row, each with the reason it must be reported with. */
const HOSTILE: Array<{ set: string; replica?: boolean; reason: RegExp }> = [
  { set: "start_at = '-infinity'", reason: /startAt: is not a finite instant/ },
  { set: "start_at = 'infinity'", reason: /startAt: is not a finite instant/ },
  { set: "end_at = 'infinity'", reason: /endAt: is not a finite instant/ },
  { set: "end_at = '-infinity'", reason: /endAt: is not a finite instant/ },
  { set: "interval_seconds = NULL, run_at = 'infinity'", reason: /runAt: is not a finite instant/ },
  { set: "start_at = '10000-01-01T00:00:00Z'", reason: /startAt: is outside the years 1 to 9999/ },
  { set: "start_at = '0044-03-15 BC'", reason: /startAt: is not a finite instant/ },
  { set: "timezone = 'Mars/Olympus_Mons'", reason: /timezone: "Mars\/Olympus_Mons" is not an IANA zone/ },
  { set: "interval_seconds = NULL, cron = '61 * * * *'", reason: /cron: does not parse/ },
  { set: "updated_at = 'infinity'", replica: true, reason: /updatedAt: is not a finite instant/ },
  {
    set: "interval_anchor_at = '-infinity'",
    replica: true,
    reason: /intervalAnchorAt: is not a finite instant/,
  },
  {
    set: `exclude = '["not-a-date", 42, "2026-13-45"]'`,
    reason: /^exclude\.0: "not-a-date" must be a real date YYYY-MM-DD or a range/,
  },
  { set: `exclude = '[42]'`, reason: /^exclude\.0: must be a date string$/ },
  {
    set: `calendars = '["no-such-calendar"]'`,
    reason: /^calendars\.0: calendar "no-such-calendar" does not exist$/,
  },
];

/** Edits the row by raw SQL; with `replica` the triggers are bypassed and the version bumped by hand. */
async function editByHand(set: string, replica = false): Promise<void> {
  await t.sql.begin(async (tx) => {
    if (replica) await tx`SET LOCAL session_replication_role = replica`;
    const bump = replica ? ", version = version + 1" : "";
    await tx.unsafe(`UPDATE schedules SET ${set}${bump} WHERE name = 'hostile'`);
  });
}

/** Resolves once every one of `names` fired after this call. */
function allFire(scheduler: Scheduler, names: string[]): Promise<unknown> {
  const waiting = new Set(names);
  return nextEvent<FiredEvent>(
    scheduler.events,
    "fired",
    (e) => waiting.delete(e.name) && waiting.size === 0,
  );
}

describe("a row no schedule could fire", () => {
  it("is reported with its reason while the other schedules keep firing, for every hostile value", async () => {
    for (const name of [...OTHERS, "hostile"])
      await t.sql`INSERT INTO schedules (name, task, interval_seconds) VALUES (${name}, 'log', 1)`;
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 100 });
    await scheduler.start();
    await allFire(scheduler, [...OTHERS, "hostile"]);

    for (const hostile of HOSTILE) {
      const reported = nextEvent<{ name: string; reason: string }>(scheduler.events, "invalid");
      await editByHand(hostile.set, hostile.replica);
      const { name, reason } = await reported;
      expect([name, reason]).toEqual(["hostile", expect.stringMatching(hostile.reason)]);
      expect(scheduler.invalidSchedules()).toEqual([{ name: "hostile", reason }]);
      expect(await scheduler.renderMetrics()).toMatch(/^hotbeat_schedules_invalid 1$/m);
      await allFire(scheduler, OTHERS);

      // Repaired by hand, it fires again and is no longer listed.
      const repaired = allFire(scheduler, ["hostile"]);
      await editByHand(
        "cron = NULL, run_at = NULL, interval_seconds = 1, start_at = NULL, end_at = NULL, timezone = 'UTC', updated_at = now(), interval_anchor_at = now(), exclude = '[]', calendars = '[]'",
        true,
      );
      await repaired;
      expect(scheduler.invalidSchedules()).toEqual([]);
    }
    expect(await scheduler.renderMetrics()).toMatch(/^hotbeat_schedules_invalid 0$/m);
    await scheduler.stop();
  }, 60_000);

  it("is held until the calendar it names is created, then fires, while labels that are not strings never stop a schedule", async () => {
    await t.sql`INSERT INTO schedules (name, task, interval_seconds, calendars)
      VALUES ('awaits_calendar', 'log', 1, '["later-holidays"]')`;
    await t.sql`INSERT INTO schedules (name, task, interval_seconds, labels)
      VALUES ('odd_labels', 'log', 1, '{"team": 5, "nested": {"a": "b"}}')`;
    const ns = uniqueId("ns");
    const scheduler = buildScheduler(t, ns, createTestQueue(ns), { pollIntervalMs: 100 });
    const reported = nextEvent<{ name: string; reason: string }>(
      scheduler.events,
      "invalid",
      (e) => e.name === "awaits_calendar",
    );
    const labelledFires = allFire(scheduler, ["odd_labels"]);
    await scheduler.start();
    expect((await reported).reason).toBe('calendars.0: calendar "later-holidays" does not exist');
    await labelledFires;
    expect(scheduler.invalidSchedules()).toEqual([
      { name: "awaits_calendar", reason: 'calendars.0: calendar "later-holidays" does not exist' },
    ]);

    // Creating the calendar is a change to every schedule naming it, which brings it back.
    const fires = allFire(scheduler, ["awaits_calendar"]);
    await t.sql`INSERT INTO calendars (name, dates) VALUES ('later-holidays', '["2001-01-01"]')`;
    await fires;
    expect(scheduler.invalidSchedules()).toEqual([]);
    await scheduler.stop();
  }, 30_000);

  it("is refused by the timing check for NaN and intervals whose milliseconds pass 2^53", () => {
    const timing: ScheduleTiming = {
      cron: null,
      intervalSeconds: 1,
      runAt: null,
      timezone: "UTC",
      startAt: null,
      endAt: null,
      intervalAnchorAt: null,
    };
    expect(checkTiming(timing)).toBeNull();
    expect(checkTiming({ ...timing, intervalSeconds: Number.NaN })).toMatch(/intervalSeconds/);
    expect(checkTiming({ ...timing, intervalSeconds: 2 ** 50 })).toMatch(/intervalSeconds/);
    expect(checkTiming({ ...timing, startAt: new Date(Number.NaN) })).toMatch(/startAt/);
    expect(checkTiming({ ...timing, intervalAnchorAt: new Date(8.64e15) })).toMatch(/intervalAnchorAt/);
  });
});
