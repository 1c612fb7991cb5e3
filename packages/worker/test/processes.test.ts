/* eslint-disable @typescript-eslint/require-await -- handlers are async by contract; most test handlers have nothing to await */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { redisUrl } from "../../../test/helpers.js";
import { createTaskRegistry } from "../src/index.js";
import { startTestServer, type TestServer } from "./httpServer.js";
import { spawnTs, waitForExit, waitForLine } from "./processes.js";
import { createHarness, nextEvent, type Harness } from "./support.js";

let h: Harness;
let server: TestServer;
beforeAll(async () => {
  h = await createHarness();
  server = await startTestServer();
});
beforeEach(async () => {
  await h.useNamespace();
});

// Each test starts Node with tsx compiling TypeScript: seconds of CPU, more on a loaded machine.
describe("worker processes", { timeout: 60_000 }, () => {
  it("retries the run of a worker killed mid-task with the same idempotency key, and succeeds once", async () => {
    const run = await h.insertRun("slow");
    await h.enqueue(run);
    const child = spawnTs("test/fixtures/crashingWorker.ts", {
      DATABASE_URL: h.t.url,
      REDIS_URL: redisUrl(),
      NAMESPACE: h.namespace,
    });
    expect(await waitForLine(child, /^started /)).toBe(`started ${run.id} 1`);
    expect(await h.readRun(run.id)).toMatchObject({ status: "running", attempt: 1 });
    child.kill("SIGKILL");
    await waitForExit(child);

    const calls: Array<{ runId: string; attempt: number }> = [];
    const registry = createTaskRegistry().register({
      name: "slow",
      handler: async (_payload, context) => {
        calls.push({ runId: context.runId, attempt: context.attempt });
        return "recovered";
      },
    });
    // The dead worker's lock lapses after 1 s; a short stall check finds its job soon after.
    const worker = h.startWorker({ registry, stalledIntervalMs: 300 });
    const finished = await nextEvent(worker, "finished", (e) => e.runId === run.id, 30_000);
    expect(finished).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(calls).toEqual([{ runId: run.id, attempt: 2 }]);
    expect(await h.readRun(run.id)).toMatchObject({ status: "succeeded", attempt: 2, result: "recovered" });
  });

  it("finishes an in-flight http call on SIGTERM before main.ts exits 0", async () => {
    let requestArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (requestArrived = resolve));
    server.handle((_req, res) => {
      requestArrived();
      setTimeout(() => res.end("late but fine"), 800);
    });
    const child = spawnTs("src/main.ts", {
      DATABASE_URL: h.t.url,
      REDIS_URL: redisUrl(),
      HOTBEAT_REDIS_NAMESPACE: h.namespace,
      HOTBEAT_HTTP_TASK_ALLOW: "127.0.0.1",
      LOG_LEVEL: "info",
    });
    await waitForLine(child, /worker started/);
    const run = await h.insertRun("http", { url: `${server.url}/slow` });
    await h.enqueue(run);
    await arrived;
    child.kill("SIGTERM");
    expect(await waitForExit(child)).toBe(0);
    expect(await h.readRun(run.id)).toMatchObject({
      status: "succeeded",
      attempt: 1,
      result: { status: 200 },
    });
  });

  it("says in one line that Redis does not answer, and exits 1", async () => {
    const child = spawnTs("src/main.ts", { DATABASE_URL: h.t.url, REDIS_URL: "redis://127.0.0.1:1" });
    const line = await waitForLine(child, /Redis/);
    expect(line).toMatch(
      /^hotbeat worker: Redis does not answer at 127\.0\.0\.1:1 .*docker compose up -d postgres redis/,
    );
    expect(await waitForExit(child)).toBe(1);
  });
});
