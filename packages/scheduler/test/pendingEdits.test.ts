import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runs, saveCursor } from "@hotbeat/shared";
import { computeJitterMs, type FiredEvent } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";
import { buildScheduler, createTestQueue, createTestWriter, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const HOUR_MS = 3_600_000;
const ctx = { actor: "test", source: "api" } as const;

/** Makes schedules (and their history) look created and last changed at `at`; the triggers would stamp now(). */
async function backdate(names: string[], at: string): Promise<void> {
  await t.sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`UPDATE schedules SET created_at = ${at}, updated_at = ${at} WHERE name IN ${tx(names)}`;
    await tx`UPDATE schedule_history SET changed_at = ${at} WHERE schedule_name IN ${tx(names)}`;
  });
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
    // Paused, then resumed: the paused span owes nothing.
    await writer.update("hourly_resumed", { enabled: false }, ctx);
    await writer.update("hourly_resumed", { enabled: true }, ctx);

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
});
