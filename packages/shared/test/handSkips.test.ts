import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RUNS_QUEUE,
  calendars,
  findRunsToEnqueuePage,
  findScheduledRun,
  listHandSkips,
  loadExclusions,
  recordHandSkip,
  recordRuns,
  removeHandSkip,
  reopenMissedRuns,
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
    .values({ name: "skips_one", task: "log", cron: "0 * * * *", payload: { a: 1 } })
    .returning()) as [Schedule];
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

const at = new Date("2030-01-01T10:00:00Z");

describe("hand skips in the run ledger", () => {
  it("records a skip as a skipped run with its actor, which the scheduler's own record then only finds", async () => {
    const skip = await recordHandSkip(t.db, schedule, at, "alice");
    expect(skip.isNew).toBe(true);
    expect(skip.run).toMatchObject({ status: "skipped", error: "skipped by alice", kind: "schedule" });
    const [fired] = await recordRuns(t.db, [{ schedule, scheduledAt: at, status: "queued" }]);
    expect(fired).toMatchObject({ isNew: false, run: { id: skip.run.id, status: "skipped" } });
    const again = await recordHandSkip(t.db, schedule, at, "bob");
    expect(again).toMatchObject({ isNew: false, run: { error: "skipped by alice" } });
  });

  it("is never a candidate of the sweeper, however old", async () => {
    await t.db
      .update(runs)
      .set({ createdAt: new Date("2020-01-01T00:00:00Z") })
      .where(eq(runs.scheduledAt, at));
    const page = await findRunsToEnqueuePage(t.db, 0, null);
    expect(page.map((run) => run.scheduledAt.getTime())).not.toContain(at.getTime());
  });

  it("lists the hand skips after an instant, and removes one without touching other skipped runs", async () => {
    const overlapAt = new Date("2030-01-01T11:00:00Z");
    await recordRuns(t.db, [
      { schedule, scheduledAt: overlapAt, status: "skipped", reason: "skipped: overlap" },
    ]);
    expect(await listHandSkips(t.db, "skips_one", new Date("2030-01-01T00:00:00Z"))).toEqual(
      new Map([[at.getTime(), "skipped by alice"]]),
    );
    expect(await removeHandSkip(t.db, "skips_one", overlapAt)).toBeUndefined();
    expect((await removeHandSkip(t.db, "skips_one", at))?.error).toBe("skipped by alice");
    expect(await findScheduledRun(t.db, "skips_one", at)).toBeUndefined();
    expect((await findScheduledRun(t.db, "skips_one", overlapAt))?.status).toBe("skipped");
  });
});

describe("reopening missed runs for a backfill", () => {
  it("turns a missed run into a queued run of the current definition, and leaves other statuses alone", async () => {
    const missedAt = new Date("2029-06-01T10:00:00Z");
    const doneAt = new Date("2029-06-01T11:00:00Z");
    const [missed, done] = await recordRuns(t.db, [
      { schedule, scheduledAt: missedAt, status: "missed", reason: "missed: 3600 s late" },
      { schedule, scheduledAt: doneAt, status: "skipped", reason: "skipped by alice" },
    ]);
    const current = { ...schedule, version: 7, payload: { a: 2 } };
    const reopened = await reopenMissedRuns(t.db, current, [missed!.run.id, done!.run.id]);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({
      id: missed!.run.id,
      status: "queued",
      error: null,
      finishedAt: null,
      enqueuedAt: null,
      scheduleVersion: 7,
      payload: { a: 2 },
    });
    expect(await reopenMissedRuns(t.db, current, [missed!.run.id])).toEqual([]);
  });
});

describe("loading a schedule's exclusions", () => {
  it("reads the dates of the calendars it names and reports the ones that do not exist", async () => {
    await t.db.insert(calendars).values({ name: "vn-public-holidays", dates: ["2027-09-02"] });
    const loaded = await loadExclusions(t.db, {
      exclude: ["2027-01-01"],
      calendars: ["vn-public-holidays", "gone"],
    });
    expect(loaded.missingCalendars).toEqual(["gone"]);
    expect(
      loaded.matchers.map((m) => [m.calendar, m.matches("2027-09-02"), m.matches("2027-01-01")]),
    ).toEqual([
      [null, null, "2027-01-01"],
      ["vn-public-holidays", "2027-09-02", null],
    ]);
  });
});
