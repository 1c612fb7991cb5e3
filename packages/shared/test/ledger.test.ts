import { Queue } from "bullmq";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LEDGER_CHUNK_SIZE,
  RUNS_QUEUE,
  enqueueRun,
  enqueueRuns,
  findActiveRunNames,
  findRunsToEnqueuePage,
  loadCursors,
  markEnqueued,
  markEnqueuedMany,
  recordRun,
  recordRuns,
  runJobId,
  runs,
  saveCursor,
  saveCursors,
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
    const candidates = await findRunsToEnqueuePage(t.db, 0, null);
    const ids = new Set(candidates.map((r) => r.id));
    const all = await t.db.select().from(runs).where(eq(runs.status, "queued"));
    // A scheduled run recorded ahead of its instant and never enqueued is the leader's (runsAhead).
    const isAhead = (r: (typeof all)[number]) =>
      r.kind === "schedule" && r.enqueuedAt === null && r.createdAt < r.scheduledAt;
    expect(all.some(isAhead)).toBe(true);
    expect(ids).toEqual(new Set(all.filter((r) => !isAhead(r)).map((r) => r.id)));
    expect(candidates.filter((r) => r.enqueuedAt === null).length).toBeGreaterThan(0);
    expect((await findRunsToEnqueuePage(t.db, 60_000, null)).length).toBe(0);
  });

  it("says whether a schedule has an active run", async () => {
    expect(await findActiveRunNames(t.db, ["ledger_one", "nobody"])).toEqual(new Set(["ledger_one"]));
    await t.db.update(runs).set({ status: "succeeded" }).where(eq(runs.scheduleName, "ledger_one"));
    expect(await findActiveRunNames(t.db, ["ledger_one"])).toEqual(new Set());
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

describe("the batched ledger", () => {
  const day = (d: number) => new Date(Date.UTC(2031, 0, d));

  it("records a mix of new and already recorded fires, saying isNew per input in input order", async () => {
    const before = await recordRun(t.db, { schedule, scheduledAt: day(2), kind: "schedule" });
    const skippedBefore = await recordRun(t.db, {
      schedule,
      scheduledAt: day(4),
      kind: "schedule",
      status: "skipped",
    });
    const results = await recordRuns(t.db, [
      { schedule, scheduledAt: day(1), status: "queued" },
      { schedule, scheduledAt: day(2), status: "skipped" },
      { schedule, scheduledAt: day(3), status: "skipped" },
      { schedule, scheduledAt: day(4), status: "queued" },
      { schedule, scheduledAt: day(1), status: "queued" },
    ]);
    expect(results.map((r) => r.isNew)).toEqual([true, false, true, false, false]);
    expect(results.map((r) => r.run.scheduledAt)).toEqual([day(1), day(2), day(3), day(4), day(1)]);
    expect(results[1]!.run.id).toBe(before.run.id);
    expect(results[1]!.run.status).toBe("queued");
    expect(results[3]!.run.id).toBe(skippedBefore.run.id);
    expect(results[4]!.run.id).toBe(results[0]!.run.id);
    expect(results[0]!.run).toMatchObject({ status: "queued", finishedAt: null, payload: { a: 1 } });
    expect(results[2]!.run.status).toBe("skipped");
    expect(results[2]!.run.finishedAt).toBeInstanceOf(Date);
    const rows = await t.db
      .select()
      .from(runs)
      .where(inArray(runs.scheduledAt, [day(1), day(2), day(3), day(4)]));
    expect(rows.length).toBe(4);
    expect(await recordRuns(t.db, [])).toEqual([]);
  });

  it("returns each newly recorded fire exactly as its stored row reads back", async () => {
    const [queued, skipped] = await recordRuns(t.db, [
      { schedule, scheduledAt: new Date(Date.UTC(2031, 5, 1, 8, 0, 0, 123)), status: "queued" },
      { schedule, scheduledAt: new Date(Date.UTC(2031, 5, 1, 8, 0, 1)), status: "skipped", reason: "paused" },
    ]);
    for (const { run } of [queued!, skipped!]) {
      const [stored] = await t.db.select().from(runs).where(eq(runs.id, run.id));
      expect(run).toEqual(stored);
    }
  });

  it("records batches larger than one statement's chunk, and knows them all on a second pass", async () => {
    const count = LEDGER_CHUNK_SIZE * 2 + 7;
    const fires = Array.from({ length: count }, (_, i) => ({
      schedule,
      scheduledAt: new Date(Date.UTC(2032, 0, 1) + i * 1000),
      status: "skipped" as const,
    }));
    const first = await recordRuns(t.db, fires);
    expect(
      first.every((r, i) => r.isNew && r.run.scheduledAt.getTime() === fires[i]!.scheduledAt.getTime()),
    ).toBe(true);
    const second = await recordRuns(t.db, fires);
    expect(second.every((r, i) => !r.isNew && r.run.id === first[i]!.run.id)).toBe(true);
  });

  it("enqueues many runs under their job ids, harmlessly twice, and marks them enqueued", async () => {
    const recorded = await recordRuns(
      t.db,
      [5, 6, 7].map((d) => ({ schedule, scheduledAt: day(d), status: "queued" as const })),
    );
    const batch = recorded.map((r) => r.run);
    const waitingBefore = (await queue.getJobCounts("waiting")).waiting!;
    await enqueueRuns(queue, batch);
    await enqueueRuns(queue, batch);
    expect((await queue.getJobCounts("waiting")).waiting).toBe(waitingBefore + 3);
    const job = await queue.getJob(runJobId(batch[0]!.id));
    expect(job?.data.runId).toBe(batch[0]!.id);
    expect(job?.opts.attempts).toBeGreaterThan(1);
    await markEnqueuedMany(t.db, [...batch.map((r) => r.id), batch[0]!.id]);
    await markEnqueuedMany(t.db, []);
    const rows = await t.db
      .select()
      .from(runs)
      .where(
        inArray(
          runs.id,
          batch.map((r) => r.id),
        ),
      );
    expect(rows.every((r) => r.enqueuedAt instanceof Date)).toBe(true);
  });

  it("finds which schedules have an active run, in one query", async () => {
    await t.db.insert(schedules).values({ name: "ledger_idle", task: "log", cron: "* * * * *" });
    expect(await findActiveRunNames(t.db, ["ledger_one", "ledger_idle", "nobody", "ledger_one"])).toEqual(
      new Set(["ledger_one"]),
    );
    expect(await findActiveRunNames(t.db, [])).toEqual(new Set());
  });

  it("moves many cursors only forward in one upsert, the latest of a repeated name winning", async () => {
    await saveCursor(t.db, "ledger_b", new Date("2031-01-01T10:00:00Z"));
    await saveCursors(t.db, [
      { name: "ledger_a", cursorAt: new Date("2031-01-01T08:00:00Z") },
      { name: "ledger_b", cursorAt: new Date("2031-01-01T09:00:00Z") },
      { name: "ledger_a", cursorAt: new Date("2031-01-01T12:00:00Z") },
      { name: "ledger_a", cursorAt: new Date("2031-01-01T07:00:00Z") },
    ]);
    let cursors = await loadCursors(t.db);
    expect(cursors.get("ledger_a")).toEqual(new Date("2031-01-01T12:00:00Z"));
    expect(cursors.get("ledger_b")).toEqual(new Date("2031-01-01T10:00:00Z"));
    await saveCursors(t.db, [{ name: "ledger_b", cursorAt: new Date("2031-01-01T11:00:00Z") }]);
    await saveCursors(t.db, []);
    cursors = await loadCursors(t.db);
    expect(cursors.get("ledger_b")).toEqual(new Date("2031-01-01T11:00:00Z"));
  });
});
