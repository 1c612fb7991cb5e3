import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runs, type RunRow } from "../src/db/schema.js";
import { createDb } from "../src/db/client.js";
import { claimRuns, finishRuns, warmRunStatements } from "../src/runs/executionBatch.js";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import { createTestDatabase, uniqueId, type TestDatabase } from "../../../test/helpers.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

async function insertRun(fields: Partial<typeof runs.$inferInsert> = {}): Promise<RunRow> {
  const [row] = await t.db
    .insert(runs)
    .values({
      scheduleName: uniqueId("sched_"),
      task: "log",
      scheduledAt: new Date("2026-03-01T09:15:00Z"),
      scheduleVersion: 1,
      ...fields,
    })
    .returning();
  return row!;
}

async function readRun(id: string): Promise<RunRow> {
  const [row] = await t.db.select().from(runs).where(eq(runs.id, id));
  return row!;
}

describe("claimRuns", () => {
  it("claims every unfinished run of the batch with its own attempt and never a finished one", async () => {
    const queued = await insertRun();
    const running = await insertRun({ status: "running", attempt: 3 });
    const finished = await insertRun({ status: "succeeded", attempt: 1 });
    const claimed = await claimRuns(t.db, [
      { runId: queued.id, attempt: 2 },
      { runId: running.id, attempt: 1 },
      { runId: finished.id, attempt: 1 },
    ]);
    expect([...claimed.keys()].sort()).toEqual([queued.id, running.id].sort());
    expect(claimed.get(queued.id)).toMatchObject({ status: "running", attempt: 2 });
    expect(claimed.get(running.id)).toMatchObject({ status: "running", attempt: 4 });
    expect(await readRun(finished.id)).toMatchObject({ status: "succeeded", attempt: 1 });
  });
});

describe("claimRuns' commit without the WAL flush", () => {
  it("leaves the session's synchronous_commit as it was, and still never claims a finished run", async () => {
    // One connection, so that a setting leaking out of the claim would show on the next statement.
    const single = createDb(t.url, { max: 1, applicationName: "hotbeat-test-single" });
    releaseAfterFile(() => single.close());
    const run = await insertRun();
    const claimed = await claimRuns(single.db, [{ runId: run.id, attempt: 1 }]);
    expect(claimed.get(run.id)).toMatchObject({ status: "running", attempt: 1 });
    const [setting] = await single.sql<Array<{ synchronous_commit: string }>>`SHOW synchronous_commit`;
    expect(setting?.synchronous_commit).toBe("on");
    // Seen at once by another connection, and refused a second life once finished.
    expect(await readRun(run.id)).toMatchObject({ status: "running" });
    await finishRuns(single.db, [{ runId: run.id, outcome: { status: "succeeded" } }]);
    expect((await claimRuns(single.db, [{ runId: run.id, attempt: 2 }])).size).toBe(0);
    expect(await readRun(run.id)).toMatchObject({ status: "succeeded", attempt: 1 });
  });
});

describe("finishRuns", () => {
  it("records each outcome of the batch, storably, and leaves a run finished before untouched", async () => {
    const a = await insertRun({ status: "running" });
    const b = await insertRun({ status: "running" });
    const done = await insertRun({ status: "failed", error: "first" });
    const finished = await finishRuns(t.db, [
      { runId: a.id, outcome: { status: "succeeded", result: { n: 1, text: "nul\u0000" } } },
      { runId: b.id, outcome: { status: "failed", error: "boom" } },
      { runId: done.id, outcome: { status: "succeeded", result: null } },
    ]);
    expect([...finished.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(await readRun(a.id)).toMatchObject({
      status: "succeeded",
      error: null,
      result: { note: expect.stringContaining("NUL") as unknown, value: { n: 1, text: "nul\\u0000" } },
    });
    expect(await readRun(b.id)).toMatchObject({ status: "failed", error: "boom", result: null });
    expect((await readRun(b.id)).finishedAt).toBeInstanceOf(Date);
    expect(await readRun(done.id)).toMatchObject({ status: "failed", error: "first" });
  });
});

describe("warmRunStatements", () => {
  it("opens every connection of the pool and prepares both statements there, touching no run", async () => {
    const applicationName = uniqueId("hotbeat-test-warm-");
    const pool = createDb(t.url, { max: 3, applicationName });
    releaseAfterFile(() => pool.close());
    const run = await insertRun();
    await warmRunStatements(pool.db, 3);

    const [open] = await t.sql<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = ${applicationName}`;
    expect(open?.count).toBe(3);
    // Each connection holds its own prepared statements: three at once land on the three.
    const prepared = await Promise.all(
      [1, 2, 3].map(
        () => pool.sql<Array<{ count: number }>>`
          SELECT count(*)::int AS count FROM pg_prepared_statements
          WHERE statement LIKE 'update "runs"%'`,
      ),
    );
    expect(prepared.map(([row]) => row?.count)).toEqual([2, 2, 2]);
    expect(await readRun(run.id)).toMatchObject({ status: "queued", attempt: 0, startedAt: null });
  });
});
