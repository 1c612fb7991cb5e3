/* eslint-disable @typescript-eslint/require-await -- handlers are async by contract; these have nothing to await */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTaskRegistry, type RunDeclinedEvent, type RunFinishedEvent } from "../src/index.js";
import { createHarness, type Harness } from "./support.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
beforeEach(async () => {
  await h.useNamespace();
});
afterEach(async () => {
  await h.t.sql`DROP TRIGGER IF EXISTS refuse_marked ON runs`;
});

describe("a burst of runs whose claims and finishes share statements", () => {
  it("runs each unfinished run once and never one that had finished already", async () => {
    const calls = new Map<string, number>();
    const registry = createTaskRegistry().register({
      name: "count",
      handler: async (_payload, context) => {
        calls.set(context.runId, (calls.get(context.runId) ?? 0) + 1);
        return { ok: true };
      },
    });
    const fresh = await Promise.all(Array.from({ length: 40 }, () => h.insertRun("count")));
    const finished = await Promise.all(
      Array.from({ length: 10 }, () => h.insertRun("count", {}, { status: "succeeded" })),
    );
    const worker = h.startWorker({ registry, concurrency: 50 });
    const finishedEvents: RunFinishedEvent[] = [];
    const declined: RunDeclinedEvent[] = [];
    const allSettled = new Promise<void>((resolve) => {
      const check = () => finishedEvents.length + declined.length === 50 && resolve();
      worker.on("finished", (event) => (finishedEvents.push(event), check()));
      worker.on("declined", (event) => (declined.push(event), check()));
    });
    await Promise.all([...fresh, ...finished].map((run) => h.enqueue(run)));
    await allSettled;

    expect(finishedEvents.map((e) => e.runId).sort()).toEqual(fresh.map((r) => r.id).sort());
    expect(declined.map((e) => e.runId).sort()).toEqual(finished.map((r) => r.id).sort());
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
    expect(calls.size).toBe(40);
    for (const run of fresh)
      expect(await h.readRun(run.id)).toMatchObject({ status: "succeeded", attempt: 1 });
    for (const run of finished) expect((await h.readRun(run.id)).attempt).toBe(0);
  });

  it("stores the other outcomes of a batch when PostgreSQL refuses one of them", async () => {
    await h.t.sql.unsafe(`
      CREATE OR REPLACE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.result::text LIKE '%refuse-me%' THEN
          RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_marked BEFORE UPDATE ON runs FOR EACH ROW EXECUTE FUNCTION refuse_marked();`);
    const registry = createTaskRegistry().register({
      name: "word",
      handler: async (payload) => payload,
    });
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.insertRun("word", { word: i === 7 ? "refuse-me" : `w${i}` })),
    );
    const worker = h.startWorker({ registry, concurrency: 20 });
    let count = 0;
    const allFinished = new Promise<void>((resolve) =>
      worker.on("finished", () => ++count === runs.length && resolve()),
    );
    await Promise.all(runs.map((run) => h.enqueue(run)));
    await allFinished;
    for (const [i, run] of runs.entries()) {
      const row = await h.readRun(run.id);
      expect(row.status).toBe("succeeded");
      if (i === 7) expect(row.result).toMatchObject({ omitted: expect.stringMatching(/23514/) as unknown });
      else expect(row.result).toEqual({ word: `w${i}` });
    }
  });
});
