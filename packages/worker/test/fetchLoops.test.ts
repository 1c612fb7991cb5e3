import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTaskRegistry, fetchLoopShares } from "../src/index.js";
import { createHarness, type Harness } from "./support.js";

describe("the worker's fetch loops", () => {
  it.each([
    [1, [1]],
    [5, [5]],
    [25, [25]],
    [26, [13, 13]],
    [50, [25, 25]],
    [100, [25, 25, 25, 25]],
    [101, [26, 25, 25, 25]],
    [1000, [250, 250, 250, 250]],
  ])("splits a concurrency of %i as %j", (concurrency, shares) => {
    expect(fetchLoopShares(concurrency)).toEqual(shares);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(concurrency);
  });
});

describe("a worker fetching over several loops", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  beforeEach(async () => {
    await h.useNamespace();
  });

  it("runs as many tasks at once as its concurrency, never more, and each run once", async () => {
    const concurrency = 30; // two loops of 15
    let running = 0;
    let most = 0;
    const calls = new Map<string, number>();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const registry = createTaskRegistry().register({
      name: "hold",
      handler: async (_payload, context) => {
        calls.set(context.runId, (calls.get(context.runId) ?? 0) + 1);
        running += 1;
        most = Math.max(most, running);
        // Every slot of both loops taken: let them all go.
        if (running === concurrency) release();
        await released;
        running -= 1;
        return { ok: true };
      },
    });
    const worker = h.startWorker({ registry, concurrency });
    expect(worker.fetchLoops).toHaveLength(2);
    const runs = await Promise.all(Array.from({ length: 2 * concurrency }, () => h.insertRun("hold")));
    let finished = 0;
    const allFinished = new Promise<void>((resolve) =>
      worker.on("finished", () => ++finished === runs.length && resolve()),
    );
    await Promise.all(runs.map((run) => h.enqueue(run)));
    await allFinished;
    expect(most).toBe(concurrency);
    expect(calls.size).toBe(runs.length);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
  });
});
