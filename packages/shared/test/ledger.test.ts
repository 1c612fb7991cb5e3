import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RUNS_QUEUE,
  enqueueRun,
  findRunsToEnqueue,
  hasActiveRun,
  loadCursors,
  markEnqueued,
  recordRun,
  runJobId,
  runs,
  saveCursor,
  schedules,
  type Schedule,
} from "@hotbeat/shared";
import { createTestDatabase, createTestRedis, uniqueId, type TestDatabase } from "../../../test/helpers.js";

let t: TestDatabase;
let queue: Queue;
let schedule: Schedule;

beforeAll(async () => {
  t = await createTestDatabase();
  queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: uniqueId("ns") });
  [schedule] = (await t.db
    .insert(schedules)
    .values({ name: "ledger_one", task: "log", cron: "* * * * *", payload: { a: 1 } })
    .returning()) as [Schedule];
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

const at = new Date("2030-01-01T09:15:00Z");

describe("the run ledger", () => {
  it("records a fire once: a duplicate recordRun is a no-op that returns the first row", async () => {
    const first = await recordRun(t.db, { schedule, scheduledAt: at, kind: "schedule" });
    const second = await recordRun(t.db, { schedule, scheduledAt: at, kind: "schedule", status: "skipped" });
    expect(first.isNew).toBe(true);
    expect(second.isNew).toBe(false);
    expect(second.run.id).toBe(first.run.id);
    expect(second.run.status).toBe("queued");
    expect(first.run).toMatchObject({
      scheduleName: "ledger_one",
      task: "log",
      payload: { a: 1 },
      scheduleVersion: 1,
    });
    const rows = await t.db.select().from(runs).where(eq(runs.scheduleName, "ledger_one"));
    expect(rows.length).toBe(1);
  });

  it("records concurrent duplicates of one fire as a single row", async () => {
    const scheduledAt = new Date("2030-01-01T10:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 8 }, () => recordRun(t.db, { schedule, scheduledAt, kind: "schedule" })),
    );
    expect(results.filter((r) => r.isNew).length).toBe(1);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
  });

  it("never lets manual runs conflict, even at a scheduled instant", async () => {
    const a = await recordRun(t.db, { schedule, scheduledAt: at, kind: "manual" });
    const b = await recordRun(t.db, { schedule, scheduledAt: at, kind: "manual" });
    expect([a.isNew, b.isNew]).toEqual([true, true]);
    expect(a.run.id).not.toBe(b.run.id);
  });

  it("finishes skipped and missed runs at birth", async () => {
    const { run } = await recordRun(t.db, {
      schedule,
      scheduledAt: new Date("2030-01-02T00:00:00Z"),
      kind: "schedule",
      status: "missed",
    });
    expect(run.status).toBe("missed");
    expect(run.finishedAt).toBeInstanceOf(Date);
  });

  it("enqueues under the deterministic job id and ignores a second add", async () => {
    const { run } = await recordRun(t.db, {
      schedule,
      scheduledAt: new Date("2030-01-03T00:00:00Z"),
      kind: "schedule",
    });
    await enqueueRun(queue, run);
    await enqueueRun(queue, run);
    await markEnqueued(t.db, run.id);
    const job = await queue.getJob(runJobId(run.id));
    expect(job?.data).toEqual({
      runId: run.id,
      schedule: "ledger_one",
      task: "log",
      scheduledAt: "2030-01-03T00:00:00.000Z",
    });
    expect(job?.opts.attempts).toBeGreaterThan(1);
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
    const [row] = await t.db.select().from(runs).where(eq(runs.id, run.id));
    expect(row!.enqueuedAt).toBeInstanceOf(Date);
  });

  it("finds queued runs that never reached the queue, and enqueued ones only once old enough", async () => {
    const candidates = await findRunsToEnqueue(t.db, 0);
    const ids = new Set(candidates.map((r) => r.id));
    const all = await t.db.select().from(runs).where(eq(runs.status, "queued"));
    expect(ids.size).toBe(all.length);
    expect(candidates[0]!.enqueuedAt).toBeNull();
    expect((await findRunsToEnqueue(t.db, 60_000)).length).toBe(0);
  });

  it("says whether a schedule has an active run", async () => {
    expect(await hasActiveRun(t.db, "ledger_one")).toBe(true);
    expect(await hasActiveRun(t.db, "nobody")).toBe(false);
    await t.db.update(runs).set({ status: "succeeded" }).where(eq(runs.scheduleName, "ledger_one"));
    expect(await hasActiveRun(t.db, "ledger_one")).toBe(false);
  });

  it("moves a cursor only forward", async () => {
    await saveCursor(t.db, "ledger_one", new Date("2030-01-01T10:00:00Z"));
    await saveCursor(t.db, "ledger_one", new Date("2030-01-01T09:00:00Z"));
    expect((await loadCursors(t.db)).get("ledger_one")).toEqual(new Date("2030-01-01T10:00:00Z"));
    await saveCursor(t.db, "ledger_one", new Date("2030-01-01T11:00:00Z"));
    const cursors = await loadCursors(t.db);
    expect(cursors.size).toBe(1);
    expect(cursors.get("ledger_one")).toEqual(new Date("2030-01-01T11:00:00Z"));
  });
});
