/* eslint-disable @typescript-eslint/require-await -- handlers are async by contract; most test handlers have nothing to await */
import { runJobId, RUN_JOB_NAME } from "@hotbeat/shared";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTaskRegistry, PermanentTaskError, type TaskContext } from "../src/index.js";
import { createHarness, nextEvent, type Harness } from "./support.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
beforeEach(async () => {
  await h.useNamespace();
});

describe("the worker", () => {
  it("runs a task and records success with its timestamps, attempt and result", async () => {
    const seen: TaskContext[] = [];
    const registry = createTaskRegistry().register({
      name: "echo",
      handler: async (payload, context) => {
        seen.push(context);
        return { echoed: payload };
      },
    });
    const worker = h.startWorker({ registry });
    const run = await h.insertRun("echo", { n: 1 });
    const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
    await h.enqueue(run);
    expect(await finished).toMatchObject({ status: "succeeded", attempt: 1, task: "echo" });

    const row = await h.readRun(run.id);
    expect(row).toMatchObject({ status: "succeeded", attempt: 1, error: null, result: { echoed: { n: 1 } } });
    expect(row.startedAt!.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
    expect(row.finishedAt!.getTime()).toBeGreaterThanOrEqual(row.startedAt!.getTime());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ runId: run.id, scheduleName: run.scheduleName, attempt: 1 });
    expect(seen[0]!.scheduledAt.toISOString()).toBe("2026-03-01T09:15:00.000Z");
  });

  it("retries a transient failure after its backoff, with the same idempotency key, and succeeds once", async () => {
    const calls: Array<{ runId: string; attempt: number; at: number }> = [];
    const registry = createTaskRegistry().register({
      name: "flaky",
      retries: { attempts: 3, backoffMs: 300 },
      handler: async (_payload, context) => {
        calls.push({ runId: context.runId, attempt: context.attempt, at: Date.now() });
        if (calls.length === 1) throw new Error("connection reset");
        return "ok";
      },
    });
    const worker = h.startWorker({ registry });
    const run = await h.insertRun("flaky");
    const retrying = nextEvent(worker, "retrying", (e) => e.runId === run.id);
    const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
    // The enqueuer's default of one BullMQ attempt does not stop the task's own retry policy.
    await h.enqueue(run, { attempts: 1 });

    expect(await retrying).toMatchObject({ attempt: 1, error: "connection reset", retryInMs: 300 });
    expect(await finished).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(calls.map((c) => [c.runId, c.attempt])).toEqual([
      [run.id, 1],
      [run.id, 2],
    ]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(280);
    expect(await h.readRun(run.id)).toMatchObject({ status: "succeeded", attempt: 2, error: null });
  });

  it("fails a run after its last attempt and tells BullMQ not to retry it", async () => {
    let calls = 0;
    const registry = createTaskRegistry().register({
      name: "always_down",
      retries: { attempts: 2, backoffMs: 10 },
      handler: async () => {
        calls++;
        throw new Error("service unavailable");
      },
    });
    const worker = h.startWorker({ registry });
    const run = await h.insertRun("always_down");
    const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
    const bullFailed = new Promise((resolve) => worker.onQueueEvent("failed", resolve));
    await h.enqueue(run, { attempts: 10 });
    expect(await finished).toMatchObject({ status: "failed", attempt: 2, error: "service unavailable" });
    await bullFailed;
    expect(calls).toBe(2);
    expect(await h.queue.getJobState(runJobId(run.id))).toBe("failed");
    expect(await h.readRun(run.id)).toMatchObject({
      status: "failed",
      attempt: 2,
      error: "service unavailable",
    });
  });

  it("fails a run of an unknown task at once, without starting or retrying it", async () => {
    const worker = h.startWorker({
      registry: createTaskRegistry().register({ name: "known", handler: async () => null }),
    });
    const run = await h.insertRun("nobody.knows");
    const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
    const bullFailed = new Promise((resolve) => worker.onQueueEvent("failed", resolve));
    await h.enqueue(run, { attempts: 5, backoff: 10 });
    expect((await finished).status).toBe("failed");
    await bullFailed;
    const row = await h.readRun(run.id);
    expect(row).toMatchObject({ status: "failed", attempt: 0, startedAt: null });
    expect(row.error).toContain('unknown task "nobody.knows"');
    const job = await h.queue.getJob(runJobId(run.id));
    expect(await job!.getState()).toBe("failed");
    expect(job!.attemptsMade).toBe(1);
  });

  it("fails a permanent error at once, and a payload that does not match the task's schema before calling it", async () => {
    let calls = 0;
    const registry = createTaskRegistry()
      .register({
        name: "refuses",
        retries: { attempts: 5, backoffMs: 10 },
        handler: async () => {
          calls++;
          throw new PermanentTaskError("the account is closed");
        },
      })
      .register({
        name: "typed",
        payloadSchema: z.strictObject({ count: z.number().int() }),
        handler: async () => {
          calls++;
          return null;
        },
      });
    const worker = h.startWorker({ registry });
    const refused = await h.insertRun("refuses");
    const typed = await h.insertRun("typed", { count: "three" });
    const done = Promise.all([
      nextEvent(worker, "finished", (e) => e.runId === refused.id),
      nextEvent(worker, "finished", (e) => e.runId === typed.id),
    ]);
    await h.enqueue(refused);
    await h.enqueue(typed);
    const [first, second] = await done;
    expect(first).toMatchObject({ status: "failed", attempt: 1, error: "the account is closed" });
    expect(second).toMatchObject({ status: "failed", attempt: 1 });
    expect(second.error).toMatch(/^payload\.count: /);
    expect(calls).toBe(1);
  });

  it("never runs a finished run again when it is enqueued once more under another job id", async () => {
    let calls = 0;
    const registry = createTaskRegistry().register({ name: "once", handler: async () => ++calls });
    const worker = h.startWorker({ registry });
    const run = await h.insertRun("once");
    const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
    await h.enqueue(run);
    await finished;
    const before = await h.readRun(run.id);

    const declined = nextEvent(worker, "declined", (e) => e.runId === run.id);
    await h.enqueue(run, { jobId: `${runJobId(run.id)}-again` });
    expect(await declined).toMatchObject({ reason: "not_claimable", jobId: `${runJobId(run.id)}-again` });
    expect(calls).toBe(1);
    expect(await h.readRun(run.id)).toEqual(before);
  });

  it("drops a job whose data is not a run job, as unrecoverable", async () => {
    const worker = h.startWorker({ registry: createTaskRegistry() });
    const declined = nextEvent(worker, "declined");
    const bullFailed = new Promise<Error>((resolve) =>
      worker.onQueueEvent("failed", (_job, error) => resolve(error)),
    );
    await h.queue.add(RUN_JOB_NAME, { runId: "not-a-uuid" }, { attempts: 3 });
    expect(await declined).toMatchObject({ reason: "invalid_job" });
    expect((await bullFailed).name).toBe("UnrecoverableError");
  });

  it("aborts a task that runs past its timeout and records why", async () => {
    let abortReason: unknown;
    const registry = createTaskRegistry().register({
      name: "sleepy",
      timeoutMs: 200,
      retries: { attempts: 1, backoffMs: 0 },
      handler: (_payload, context) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener("abort", () => {
            abortReason = context.signal.reason;
            reject(new Error("aborted"));
          });
        }),
    });
    const worker = h.startWorker({ registry });
    const run = await h.insertRun("sleepy");
    const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
    await h.enqueue(run);
    expect(await finished).toMatchObject({ status: "failed", error: "task timed out after 200 ms" });
    expect((abortReason as Error).name).toBe("TaskTimeoutError");
    expect(await h.readRun(run.id)).toMatchObject({ status: "failed", error: "task timed out after 200 ms" });
  });
});

describe("closing the worker", () => {
  it("lets an in-flight task finish within the grace period", async () => {
    let release: () => void = () => undefined;
    const registry = createTaskRegistry().register({
      name: "steady",
      handler: () => new Promise<string>((resolve) => (release = () => resolve("done"))),
    });
    const worker = h.startWorker({ registry });
    const run = await h.insertRun("steady");
    const started = nextEvent(worker, "started", (e) => e.runId === run.id);
    await h.enqueue(run);
    await started;
    const closed = worker.close({ graceMs: 10_000 });
    setTimeout(() => release(), 100);
    await closed;
    expect(await h.readRun(run.id)).toMatchObject({ status: "succeeded", result: "done" });
  });

  it("aborts a task still running when the grace period ends, and another worker runs it again", async () => {
    const attempts: Array<{ runId: string; attempt: number }> = [];
    const stubborn = createTaskRegistry().register({
      name: "long",
      handler: (_payload, context) => {
        attempts.push({ runId: context.runId, attempt: context.attempt });
        return new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      },
    });
    const first = h.startWorker({ registry: stubborn });
    const run = await h.insertRun("long");
    const started = nextEvent(first, "started", (e) => e.runId === run.id);
    const retrying = nextEvent(first, "retrying", (e) => e.runId === run.id);
    await h.enqueue(run);
    await started;
    await first.close({ graceMs: 200 });
    expect(await retrying).toMatchObject({ retryInMs: 0, error: expect.stringContaining("shut down") });
    expect(await h.readRun(run.id)).toMatchObject({ status: "queued", attempt: 1 });

    const quick = createTaskRegistry().register({
      name: "long",
      handler: async (_payload, context) => attempts.push({ runId: context.runId, attempt: context.attempt }),
    });
    const second = h.startWorker({ registry: quick });
    await nextEvent(second, "finished", (e) => e.runId === run.id);
    expect(attempts).toEqual([
      { runId: run.id, attempt: 1 },
      { runId: run.id, attempt: 2 },
    ]);
    expect(await h.readRun(run.id)).toMatchObject({ status: "succeeded", attempt: 2 });
  });
});
