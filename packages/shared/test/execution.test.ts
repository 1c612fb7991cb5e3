import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runs, type RunRow } from "../src/db/schema.js";
import { claimRun, finishRun, recordAttemptFailure } from "../src/runs/execution.js";
import { createTestDatabase, uniqueId, type TestDatabase } from "../../../test/helpers.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

async function insertRun(status: RunRow["status"] = "queued"): Promise<RunRow> {
  const [row] = await t.db
    .insert(runs)
    .values({
      scheduleName: uniqueId("sched_"),
      task: "log",
      scheduledAt: new Date("2026-03-01T09:15:00Z"),
      scheduleVersion: 1,
      status,
    })
    .returning();
  return row!;
}

async function readRun(id: string): Promise<RunRow> {
  const [row] = await t.db.select().from(runs).where(eq(runs.id, id));
  return row!;
}

describe("claimRun", () => {
  it("moves a queued run to running with its start time and attempt", async () => {
    const run = await insertRun();
    const claimed = await claimRun(t.db, run.id, 1);
    expect(claimed).toMatchObject({ id: run.id, status: "running", attempt: 1, finishedAt: null });
    expect(claimed!.startedAt).toBeInstanceOf(Date);
  });

  it("claims a running run again and counts the new attempt, as after a worker died mid-task", async () => {
    const run = await insertRun();
    await claimRun(t.db, run.id, 1);
    const again = await claimRun(t.db, run.id, 1);
    expect(again).toMatchObject({ status: "running", attempt: 2 });
  });

  it("takes the caller's attempt number when it is ahead of the stored one", async () => {
    const run = await insertRun();
    expect((await claimRun(t.db, run.id, 4))!.attempt).toBe(4);
  });

  it.each(["succeeded", "failed", "skipped", "missed"] as const)(
    "refuses a %s run and leaves it untouched",
    async (status) => {
      const run = await insertRun(status);
      expect(await claimRun(t.db, run.id, 1)).toBeNull();
      expect(await readRun(run.id)).toMatchObject({ status, attempt: 0, startedAt: null });
    },
  );

  it("returns null for a run that does not exist", async () => {
    expect(await claimRun(t.db, "00000000-0000-4000-8000-000000000000", 1)).toBeNull();
  });
});

describe("finishRun", () => {
  it("records success with the result and the finish time", async () => {
    const run = await insertRun();
    await claimRun(t.db, run.id, 1);
    const done = await finishRun(t.db, run.id, { status: "succeeded", result: { status: 200 } });
    expect(done).toMatchObject({ status: "succeeded", result: { status: 200 }, error: null });
    expect(done!.finishedAt!.getTime()).toBeGreaterThanOrEqual(done!.startedAt!.getTime());
  });

  it("keeps the first outcome when a second execution finishes later", async () => {
    const run = await insertRun();
    await claimRun(t.db, run.id, 1);
    await finishRun(t.db, run.id, { status: "succeeded", result: "first" });
    expect(await finishRun(t.db, run.id, { status: "failed", error: "late" })).toBeNull();
    expect(await readRun(run.id)).toMatchObject({ status: "succeeded", result: "first", error: null });
  });

  it("cuts a very long error text", async () => {
    const run = await insertRun();
    const done = await finishRun(t.db, run.id, { status: "failed", error: "x".repeat(10_000) });
    expect(done!.error!.length).toBe(4000);
  });
});

describe("recordAttemptFailure", () => {
  it("puts the run back in the queue with the error when a retry follows", async () => {
    const run = await insertRun();
    await claimRun(t.db, run.id, 1);
    const row = await recordAttemptFailure(t.db, run.id, "HTTP 503", true);
    expect(row).toMatchObject({ status: "queued", error: "HTTP 503", attempt: 1, finishedAt: null });
  });

  it("fails the run for good when no retry follows", async () => {
    const run = await insertRun();
    await claimRun(t.db, run.id, 1);
    const row = await recordAttemptFailure(t.db, run.id, "boom", false);
    expect(row).toMatchObject({ status: "failed", error: "boom" });
    expect(row!.finishedAt).toBeInstanceOf(Date);
  });

  it("clears the previous attempt's error once the run succeeds", async () => {
    const run = await insertRun();
    await claimRun(t.db, run.id, 1);
    await recordAttemptFailure(t.db, run.id, "HTTP 503", true);
    await claimRun(t.db, run.id, 2);
    expect(await finishRun(t.db, run.id, { status: "succeeded" })).toMatchObject({
      status: "succeeded",
      error: null,
      attempt: 2,
    });
  });
});
