import { beforeAll, describe, expect, it } from "vitest";
import { enqueueRuns, runs, schedules, type RunRow, type Schedule } from "@hotbeat/shared";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const HEALTHY = 600;

describe("the sweeper", () => {
  it("heals a lost run behind more than a page of older healthy ones", async () => {
    const [schedule] = (await t.db
      .insert(schedules)
      .values({ name: "busy_yearly", task: "log", cron: "0 0 1 1 *" })
      .returning()) as [Schedule];
    const row = (i: number, enqueuedAt: Date) => ({
      // The lost run sorts last by id too, so only paging reaches it.
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      scheduleName: schedule.name,
      task: "log",
      scheduledAt: new Date(Date.UTC(2031, 0, 1) + i * 60_000),
      scheduleVersion: schedule.version,
      enqueuedAt,
    });
    const healthy: RunRow[] = await t.db
      .insert(runs)
      .values(Array.from({ length: HEALTHY }, (_, i) => row(i, new Date(Date.now() - 7_200_000))))
      .returning();
    const [lost] = (await t.db
      .insert(runs)
      .values(row(HEALTHY, new Date(Date.now() - 3_600_000)))
      .returning()) as [RunRow];
    const ns = uniqueId("ns");
    const queue = createTestQueue(ns);
    await enqueueRuns(queue, healthy);

    const scheduler = buildScheduler(t, ns, queue, { sweepIntervalMs: 50, sweepOlderThanMs: 0 });
    const requeued = nextEvent<{ runId: string }>(scheduler.events, "requeued");
    await scheduler.start();
    expect((await requeued).runId).toBe(lost.id);
    await scheduler.stop();
  });
});
