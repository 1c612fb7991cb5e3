import { drizzle } from "drizzle-orm/postgres-js";
import { inArray } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadCursors,
  runs,
  scheduleCursors,
  scheduleHistory,
  schedules,
  type Database,
  type DbHandle,
} from "@hotbeat/shared";
import type { FiredEvent } from "../src/index.js";
import { createBatcher } from "../src/firing/batcher.js";
import { releaseAfterFile } from "../../../test/fileTeardown.js";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers.js";
import { buildScheduler, createTestQueue, nextEvent, uniqueId } from "./support.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

/** `t`'s database through a pool that notes every statement it sends. */
function countingHandle(statements: string[]): DbHandle {
  const sql = postgres(t.url, {
    max: 5,
    onnotice: () => undefined,
    debug: (_connection, query) => statements.push(query),
  });
  const schema = { runs, schedules, scheduleCursors, scheduleHistory };
  const db = drizzle(sql, { schema, casing: "snake_case" }) as unknown as Database;
  const handle = { db, sql, close: () => sql.end({ timeout: 5 }) };
  releaseAfterFile(() => handle.close());
  return handle;
}

describe("the batcher", () => {
  it("flushes the calls of one turn together, settles each with its batch, and runs one flush at a time", async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const call = createBatcher<number>(async (items) => {
      batches.push(items);
      if (items.includes(4)) throw new Error("batch failed");
      if (items.includes(1)) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = [call(1), call(2)];
    await new Promise((resolve) => setImmediate(resolve));
    const second = [call(3), call(4)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2]]);
    release();
    await Promise.all(first);
    const outcomes = await Promise.allSettled(second);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await call(5);
    expect(batches.at(-1)).toEqual([5]);
  });
});

describe("many schedules due at the same instant", () => {
  it("records, enqueues and fires 200 of them exactly once, in a handful of statements", async () => {
    const count = 200;
    const names = Array.from({ length: count }, (_, i) => `burst_${String(i).padStart(3, "0")}`);
    const dueAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 4000);
    const cron = `${dueAt.getUTCSeconds()} ${dueAt.getUTCMinutes()} ${dueAt.getUTCHours()} ${dueAt.getUTCDate()} ${dueAt.getUTCMonth() + 1} *`;
    await t.db.insert(schedules).values(
      names.map((name, i) => ({
        name,
        task: "log",
        cron,
        timezone: "UTC",
        overlapPolicy: i % 2 === 0 ? ("skip" as const) : ("allow" as const),
      })),
    );
    const statements: string[] = [];
    const ns = uniqueId("ns");
    const queue = createTestQueue(ns);
    const scheduler = buildScheduler(t, ns, queue, { database: countingHandle(statements) });
    const fired: FiredEvent[] = [];
    scheduler.events.on("fired", (e: FiredEvent) => fired.push(e));
    const handled = new Set<string>();
    const allHandled = nextEvent<{ name: string }>(
      scheduler.events,
      "handled",
      (e) => handled.add(e.name).size === count,
      20_000,
    );
    await scheduler.start();
    await allHandled;
    await scheduler.stop();

    expect(fired.length).toBe(count);
    expect(new Set(fired.map((e) => e.name))).toEqual(new Set(names));
    expect(fired.every((e) => e.scheduledAt.getTime() === dueAt.getTime() && e.status === "queued")).toBe(
      true,
    );
    const rows = await t.db.select().from(runs).where(inArray(runs.scheduleName, names));
    expect(rows.length).toBe(count);
    expect(rows.every((r) => r.status === "queued" && r.enqueuedAt !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(fired.map((e) => e.runId)));
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: count });
    const cursors = await loadCursors(t.db);
    expect(names.every((name) => cursors.get(name)!.getTime() >= dueAt.getTime())).toBe(true);

    const inserts = statements.filter((q) => /^insert into "runs"/i.test(q));
    const cursorUpserts = statements.filter((q) => /^insert into "schedule_cursors"/i.test(q));
    const enqueueMarks = statements.filter((q) => /^update "runs" set "enqueued_at"/i.test(q));
    // One fire each would have cost 200 of each; one wake's fires go in one batch.
    for (const kind of [inserts, cursorUpserts, enqueueMarks]) {
      expect(kind.length).toBeGreaterThan(0);
      expect(kind.length).toBeLessThanOrEqual(3);
    }
  });
});
