import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getSchedule, recordHandSkip, runJobId, runs } from "@hotbeat/shared";
import type { FiredEvent } from "../src/index.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

describe("an instant skipped by hand", () => {
  it("is not run by a real scheduler firing every second, stays a skipped row, and the next one runs", async () => {
    await t.sql`INSERT INTO schedules (name, task, cron) VALUES ('every_second', 'log', '* * * * * *')`;
    const ns = uniqueId("ns");
    const queue = createTestQueue(ns);
    const scheduler = buildScheduler(t, ns, queue);
    const firstFire = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "every_second");
    await scheduler.start();
    const { scheduledAt } = await firstFire;
    const skippedAt = new Date(scheduledAt.getTime() + 3000);
    const afterAt = new Date(scheduledAt.getTime() + 4000);

    const schedule = await getSchedule(t.db, "every_second");
    expect((await recordHandSkip(t.db, schedule, skippedAt, "alice")).isNew).toBe(true);
    const fired: FiredEvent[] = [];
    scheduler.events.on("fired", (e) => fired.push(e));
    await nextEvent<FiredEvent>(
      scheduler.events,
      "fired",
      (e) => e.scheduledAt.getTime() === afterAt.getTime(),
    );
    await scheduler.stop();

    expect(fired.map((e) => e.scheduledAt.getTime())).not.toContain(skippedAt.getTime());
    const [skipped] = await t.db
      .select()
      .from(runs)
      .where(and(eq(runs.scheduleName, "every_second"), eq(runs.scheduledAt, skippedAt)));
    expect(skipped).toMatchObject({ status: "skipped", error: "skipped by alice", enqueuedAt: null });
    expect(await queue.getJob(runJobId(skipped!.id))).toBeUndefined();
    const [after] = await t.db
      .select()
      .from(runs)
      .where(and(eq(runs.scheduleName, "every_second"), eq(runs.scheduledAt, afterAt)));
    expect(after?.status).toBe("queued");
    expect(await queue.getJob(runJobId(after!.id))).toBeDefined();
  });
});
