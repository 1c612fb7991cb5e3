import { EventEmitter } from "node:events";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  claimRuns,
  getSchedule,
  recordHandSkip,
  recordRuns,
  removeHandSkip,
  runJobId,
  runs,
  type Schedule,
} from "@hotbeat/shared";
import type { FiredEvent, SchedulerEvents } from "../src/index.js";
import { fireInstants, type FireDeps } from "../src/firing/fireInstants.js";
import { createAheadRecorder, type AheadRecorder } from "../src/firing/recordFiresAhead.js";
import { RunsAhead } from "../src/firing/runsAhead.js";
import { sweepRunsIntoQueue } from "../src/firing/sweepRunsIntoQueue.js";
import { HeldSchedules } from "../src/timeline/heldSchedules.js";
import { SchedulerMetrics } from "../src/schedulerMetrics.js";
import { createTestDatabase, testLogger, type TestDatabase } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

/** A six-field cron (UTC) firing once a year at `at`. */
const cronAt = (at: Date) =>
  `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;

/**
 * One schedule firing at a whole second a minute ahead of the database's clock (a row recorded
 * ahead is one created before its instant), held by a leader whose clock stands 1.5 s before it.
 */
async function setUp(name: string) {
  const dueAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
  await t.sql`INSERT INTO schedules (name, task, cron, timezone) VALUES (${name}, 'log', ${cronAt(dueAt)}, 'UTC')`;
  const schedule = await getSchedule(t.db, name);
  const clock = new FakeClock(dueAt.getTime() - 1500);
  const held = new HeldSchedules(testLogger());
  held.apply(name, schedule, schedule.version, clock.now());
  const ahead = new RunsAhead();
  const recorder = createAheadRecorder({
    db: t.db,
    held,
    ahead,
    clock,
    log: testLogger(),
    isFiring: () => true,
  });
  const ns = uniqueId("ns");
  const queue = createTestQueue(ns);
  const events = new EventEmitter<SchedulerEvents>();
  const fireDeps: FireDeps = {
    db: t.db,
    queue,
    log: testLogger(),
    clock,
    metrics: new SchedulerMetrics(),
    events,
    ahead,
  };
  const rowsAt = () =>
    t.db
      .select()
      .from(runs)
      .where(and(eq(runs.scheduleName, name), eq(runs.scheduledAt, dueAt)));
  return { dueAt, schedule, clock, held, ahead, recorder, queue, events, fireDeps, rowsAt };
}

/** The same definition one version later, changed by `patch`, as the write path would store it. */
function nextVersion(schedule: Schedule, clock: FakeClock, patch: Partial<Schedule>): Schedule {
  return { ...schedule, ...patch, version: schedule.version + 1, updatedAt: new Date(clock.now()) };
}

async function recordAhead(recorder: AheadRecorder) {
  await recorder.round();
}

describe("a fire recorded ahead of its instant", () => {
  it("is a queued row before the instant, which the fire then only enqueues: one run, one job", async () => {
    const s = await setUp("ahead_plain");
    await recordAhead(s.recorder);
    const [before] = await s.rowsAt();
    expect(before).toMatchObject({ status: "queued", enqueuedAt: null });
    expect(await s.queue.getJob(runJobId(before!.id))).toBeUndefined();

    const fired: FiredEvent[] = [];
    s.events.on("fired", (e) => fired.push(e));
    s.clock.advance(1500);
    await fireInstants(s.fireDeps, [{ schedule: s.schedule, scheduledAt: s.dueAt }]);

    expect(fired).toEqual([
      { name: "ahead_plain", scheduledAt: s.dueAt, runId: before!.id, status: "queued" },
    ]);
    const after = await s.rowsAt();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before!.id);
    expect(after[0]!.enqueuedAt).not.toBeNull();
    expect((await s.queue.getJob(runJobId(before!.id)))?.data.runId).toBe(before!.id);
  });

  it("is reported fired once when its fire comes while its INSERT is still in flight", async () => {
    const s = await setUp("ahead_in_flight");
    // The round reserved the instant and its INSERT landed, but has not returned yet.
    expect(s.ahead.reserve(s.schedule.name, s.dueAt.getTime())).toBe(true);
    const [landed] = await recordRuns(t.db, [
      { schedule: s.schedule, scheduledAt: s.dueAt, status: "queued" },
    ]);
    const fired: FiredEvent[] = [];
    s.events.on("fired", (e) => fired.push(e));
    s.clock.advance(1500);
    await fireInstants(s.fireDeps, [{ schedule: s.schedule, scheduledAt: s.dueAt }]);

    expect(fired.map((e) => e.runId)).toEqual([landed!.run.id]);
    expect(s.ahead.settle(s.schedule.name, s.dueAt.getTime(), landed!.run)).toBe(false);
    expect((await s.rowsAt())[0]!.enqueuedAt).not.toBeNull();
  });

  it.each([
    ["an edit moving it", "edit"],
    ["a pause", "pause"],
    ["a delete", "delete"],
  ] as const)("is deleted, never enqueued, when %s comes before its instant", async (_label, change) => {
    const s = await setUp(`ahead_${change}`);
    await recordAhead(s.recorder);
    expect(await s.rowsAt()).toHaveLength(1);
    s.clock.advance(100);
    const name = s.schedule.name;
    if (change === "edit") {
      const moved = new Date(s.dueAt.getTime() + 10_000);
      const row = nextVersion(s.schedule, s.clock, { cron: cronAt(moved) });
      expect(s.held.apply(name, row, row.version, s.clock.now())).toBe("applied");
    } else if (change === "pause") {
      const row = nextVersion(s.schedule, s.clock, { enabled: false });
      expect(s.held.apply(name, row, row.version, s.clock.now())).toBe("removed");
    } else {
      expect(s.held.apply(name, undefined, s.schedule.version + 1, s.clock.now())).toBe("removed");
    }
    await recordAhead(s.recorder);

    expect(await s.rowsAt()).toEqual([]);
    expect(s.ahead.size).toBe(0);
    expect(await s.queue.getJobCounts("waiting", "delayed")).toEqual({ waiting: 0, delayed: 0 });
  });

  it("is recorded afresh under the new version when an edit that keeps its timing comes first", async () => {
    const s = await setUp("ahead_payload");
    await recordAhead(s.recorder);
    const [before] = await s.rowsAt();
    s.clock.advance(100);
    const row = nextVersion(s.schedule, s.clock, { payload: { edited: true } });
    s.held.apply(row.name, row, row.version, s.clock.now());
    await recordAhead(s.recorder);
    s.clock.advance(1400);
    await fireInstants(s.fireDeps, [{ schedule: row, scheduledAt: s.dueAt }]);

    const after = await s.rowsAt();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before!.id);
    expect(after[0]).toMatchObject({
      scheduleVersion: row.version,
      payload: { edited: true },
      status: "queued",
    });
    expect(await s.queue.getJob(runJobId(before!.id))).toBeUndefined();
    expect(await s.queue.getJob(runJobId(after[0]!.id))).toBeDefined();
  });

  it("becomes the skipped run, never enqueued, when its instant is skipped at fire time (an exclusion)", async () => {
    const s = await setUp("ahead_excluded");
    await recordAhead(s.recorder);
    s.clock.advance(1500);
    const unfired = { status: "skipped" as const, reason: "skipped: excluded date" };
    await fireInstants(s.fireDeps, [{ schedule: s.schedule, scheduledAt: s.dueAt, unfired }]);

    const after = await s.rowsAt();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: "skipped", error: unfired.reason, enqueuedAt: null });
    expect(await s.queue.getJobCounts("waiting")).toEqual({ waiting: 0 });
  });

  it("is left alone by the sweeper, however old its row", async () => {
    const s = await setUp("ahead_swept");
    await recordAhead(s.recorder);
    const [before] = await s.rowsAt();
    const { requeued } = await sweepRunsIntoQueue(t.db, s.queue, 0);
    expect(requeued.map((run) => run.id)).not.toContain(before!.id);
    expect(await s.queue.getJob(runJobId(before!.id))).toBeUndefined();
    expect((await s.rowsAt())[0]).toMatchObject({ status: "queued", enqueuedAt: null });
  });

  it("is never recorded over an instant skipped by hand beforehand, and the skip wins", async () => {
    const s = await setUp("ahead_hand_skip");
    await recordHandSkip(t.db, s.schedule, s.dueAt, "alice");
    await recordAhead(s.recorder);
    expect(s.ahead.size).toBe(0);
    s.clock.advance(1500);
    await fireInstants(s.fireDeps, [{ schedule: s.schedule, scheduledAt: s.dueAt }]);

    const after = await s.rowsAt();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: "skipped", error: "skipped by alice" });
    expect(await s.queue.getJobCounts("waiting")).toEqual({ waiting: 0 });
  });

  it("turns into the skip when skipped by hand after it was recorded, and its fire never runs it", async () => {
    const s = await setUp("ahead_then_hand_skip");
    await recordAhead(s.recorder);
    const [before] = await s.rowsAt();
    const skip = await recordHandSkip(t.db, s.schedule, s.dueAt, "alice");
    expect(skip).toMatchObject({
      isNew: true,
      run: { id: before!.id, status: "skipped", error: "skipped by alice" },
    });
    s.clock.advance(1500);
    await fireInstants(s.fireDeps, [{ schedule: s.schedule, scheduledAt: s.dueAt }]);

    const after = await s.rowsAt();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before!.id, status: "skipped", enqueuedAt: null });
    // The job added at the instant, if any, finds a finished run: a worker never claims it.
    expect((await claimRuns(t.db, [{ runId: before!.id, attempt: 1 }])).size).toBe(0);
  });

  it("fires under a new row when a hand skip made after it was recorded is undone before the instant", async () => {
    const s = await setUp("ahead_skip_undone");
    await recordAhead(s.recorder);
    const [before] = await s.rowsAt();
    await recordHandSkip(t.db, s.schedule, s.dueAt, "alice");
    expect(await removeHandSkip(t.db, s.schedule.name, s.dueAt)).toBeDefined();
    s.clock.advance(1500);
    await fireInstants(s.fireDeps, [{ schedule: s.schedule, scheduledAt: s.dueAt }]);

    const after = await s.rowsAt();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before!.id);
    expect(after[0]).toMatchObject({ status: "queued" });
    expect(after[0]!.enqueuedAt).not.toBeNull();
    expect((await s.queue.getJob(runJobId(after[0]!.id)))?.data.runId).toBe(after[0]!.id);
  });
});

describe("a leader stopping after recording fires ahead", () => {
  /** A real scheduler on the fake clock, leading until the file ends. */
  async function startSuccessor(clock: FakeClock) {
    const ns = uniqueId("ns");
    const queue = createTestQueue(ns);
    const scheduler = buildScheduler(t, ns, queue, { clock, lease: { ttlMs: 24 * 3_600_000 } });
    const leading = nextEvent(scheduler.events, "leading");
    await scheduler.start();
    await leading;
    return { scheduler, queue };
  }

  it("leaves them to the next leader, which fires each exactly once, under the row recorded", async () => {
    const s = await setUp("ahead_crash");
    await recordAhead(s.recorder);
    const [before] = await s.rowsAt();
    // The predecessor stops without a word: its RunsAhead is gone, its row stays.
    const clock = new FakeClock(s.dueAt.getTime() - 1000);
    const { scheduler, queue } = await startSuccessor(clock);
    const fired = nextEvent<FiredEvent>(scheduler.events, "fired", (e) => e.name === "ahead_crash");
    clock.advance(1000);
    const event = await fired;
    await scheduler.stop();

    expect(event.runId).toBe(before!.id);
    const after = await s.rowsAt();
    expect(after).toHaveLength(1);
    expect(after[0]!.enqueuedAt).not.toBeNull();
    expect((await queue.getJob(runJobId(before!.id)))?.data.runId).toBe(before!.id);
  });

  it("has the next leader delete one its schedule no longer owes after an edit made while no one led", async () => {
    const s = await setUp("ahead_crash_edited");
    await recordAhead(s.recorder);
    expect(await s.rowsAt()).toHaveLength(1);
    const moved = new Date(s.dueAt.getTime() + 10_000);
    await t.sql`UPDATE schedules SET cron = ${cronAt(moved)} WHERE name = 'ahead_crash_edited'`;
    const clock = new FakeClock(s.dueAt.getTime() - 1000);
    const { scheduler, queue } = await startSuccessor(clock);
    await scheduler.stop();

    expect(await s.rowsAt()).toEqual([]);
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 0 });
  });
});
