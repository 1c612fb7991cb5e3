import { Queue } from "bullmq";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RUNS_QUEUE,
  dispatchRuns,
  recordRun,
  runJobId,
  runs,
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
    .values({ name: "dispatch_one", task: "log", cron: "* * * * *" })
    .returning()) as [Schedule];
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

const day = (d: number) => new Date(Date.UTC(2032, 0, d, 9, 0));

async function loadRows(ids: string[]) {
  return t.db.select().from(runs).where(inArray(runs.id, ids));
}

describe("dispatching runs", () => {
  it("records a scheduled fire and a manual run, queues each under its run id and marks both enqueued", async () => {
    const { recorded, enqueued } = await dispatchRuns({ db: t.db, queue }, [
      { schedule, scheduledAt: day(1), kind: "schedule", status: "queued" },
      { schedule, scheduledAt: day(1), kind: "manual", status: "queued" },
    ]);
    expect(recorded.map((r) => [r.run.kind, r.isNew])).toEqual([
      ["schedule", true],
      ["manual", true],
    ]);
    expect(enqueued.map((run) => run.id).sort()).toEqual(recorded.map((r) => r.run.id).sort());
    for (const { run } of recorded) expect((await queue.getJob(runJobId(run.id)))?.data.runId).toBe(run.id);
    const rows = await loadRows(recorded.map((r) => r.run.id));
    expect(rows.every((row) => row.enqueuedAt instanceof Date)).toBe(true);
  });

  it("queues a fire found recorded but never enqueued, and never queues a missed or skipped one", async () => {
    const leftBehind = await recordRun(t.db, { schedule, scheduledAt: day(2), kind: "schedule" });
    const { recorded, enqueued } = await dispatchRuns({ db: t.db, queue }, [
      { schedule, scheduledAt: day(2), kind: "schedule", status: "queued" },
      { schedule, scheduledAt: day(3), kind: "schedule", status: "missed", reason: "missed: 90 s late" },
      { schedule, scheduledAt: day(4), kind: "schedule", status: "skipped", reason: "overlap" },
    ]);
    expect(recorded.map((r) => r.isNew)).toEqual([false, true, true]);
    expect(recorded[0]!.run.id).toBe(leftBehind.run.id);
    expect(enqueued.map((run) => run.id)).toEqual([leftBehind.run.id]);
    expect(recorded[1]!.run).toMatchObject({ status: "missed", error: "missed: 90 s late" });
    expect(await queue.getJob(runJobId(recorded[1]!.run.id))).toBeUndefined();
    expect(await queue.getJob(runJobId(recorded[2]!.run.id))).toBeUndefined();
  });

  it("queues rows given already recorded without recording them again, harmlessly twice", async () => {
    const { run } = await recordRun(t.db, { schedule, scheduledAt: day(5), kind: "schedule" });
    const countBefore = (await t.db.select().from(runs)).length;
    const first = await dispatchRuns({ db: t.db, queue }, [run]);
    const second = await dispatchRuns({ db: t.db, queue }, [run]);
    expect(first.recorded).toEqual([{ run, isNew: false }]);
    expect(second.enqueued.map((r) => r.id)).toEqual([run.id]);
    expect((await t.db.select().from(runs)).length).toBe(countBefore);
    const [row] = await loadRows([run.id]);
    expect(row?.enqueuedAt).toBeInstanceOf(Date);
    expect((await queue.getJob(runJobId(run.id)))?.data.runId).toBe(run.id);
  });

  it("records nothing and queues nothing when given nothing", async () => {
    expect(await dispatchRuns({ db: t.db, queue }, [])).toEqual({ recorded: [], enqueued: [] });
  });
});
