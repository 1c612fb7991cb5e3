import {
  SCHEDULE_UPDATES_CHANNEL,
  leaderLeaseKey,
  scheduleAppliedChannel,
  schedulerStatusKey,
  type SchedulerStatus,
} from "@hotbeat/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestRedis } from "../../../test/helpers.js";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
  const created = await t.app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: { name: "nightly", task: "log", cron: "0 2 * * *" },
  });
  expect(created.statusCode).toBe(201);
});

function statusOf(instanceId: string, lastApplied: SchedulerStatus["lastApplied"] = null): SchedulerStatus {
  const at = new Date().toISOString();
  return {
    instanceId,
    hostname: "test",
    pid: 1,
    isLeader: instanceId.endsWith("a"),
    schedulesLoaded: 1,
    lastApplied,
    startedAt: at,
    heartbeatAt: at,
  };
}

/**
 * A stand-in scheduler: reports itself in Redis and, unless `silent`, announces every change it
 * hears on `schedule_updates` as applied, the way a real one does.
 */
async function startFakeScheduler(instanceId: string, options: { silent?: boolean } = {}) {
  const redis = createTestRedis();
  const subscriber = createTestRedis();
  await redis.set(
    schedulerStatusKey(t.namespace, instanceId),
    JSON.stringify(statusOf(instanceId)),
    "PX",
    15_000,
  );
  if (!options.silent) {
    await subscriber.subscribe(SCHEDULE_UPDATES_CHANNEL);
    subscriber.on("message", (_channel: string, raw: string) => {
      const { name, version } = JSON.parse(raw) as { name: string; version: number };
      const applied = { name, version, appliedAt: new Date().toISOString(), latencyMs: 3 };
      // The channel is shared with every other test file: a message may still arrive after this
      // file has closed its connections, and the answer to it has nowhere to go.
      if (redis.status !== "ready") return;
      redis
        .publish(scheduleAppliedChannel(t.namespace), JSON.stringify({ instanceId, ...applied }))
        .catch((error: unknown) => {
          if (redis.status === "ready") throw error;
        });
    });
  }
  return {
    async stop() {
      await redis.del(schedulerStatusKey(t.namespace, instanceId));
      subscriber.disconnect();
    },
  };
}

describe("manual trigger and runs", () => {
  it("triggers a run: 202 with a queued manual run, recorded and enqueued", async () => {
    const response = await t.app.inject({ method: "POST", url: "/api/v1/schedules/nightly/trigger" });
    expect(response.statusCode).toBe(202);
    const { run } = bodyOf(response);
    expect(run).toMatchObject({
      schedule: "nightly",
      task: "log",
      kind: "manual",
      status: "queued",
      scheduleVersion: 1,
    });
    const [row] = await t.database.sql<
      { kind: string; enqueued_at: Date | null }[]
    >`SELECT kind, enqueued_at FROM runs WHERE id = ${run.id}`;
    expect(row!.kind).toBe("manual");
    expect(row!.enqueued_at).not.toBeNull();
    const job = await t.queue.getJob(`run-${run.id}`);
    expect(job?.data).toMatchObject({ runId: run.id, schedule: "nightly", task: "log" });
  });

  it("refuses a trigger body with fields with 400 naming the field, and takes an empty one", async () => {
    await t.app.inject({
      method: "POST",
      url: "/api/v1/schedules",
      payload: { name: "by_hand", task: "log", cron: "0 2 * * *" },
    });
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/schedules/by_hand/trigger",
      payload: { payload: { override: true } },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(bodyOf(response).error).toMatchObject({ code: "invalid", details: [{ field: "payload" }] });
    const empty = await t.app.inject({
      method: "POST",
      url: "/api/v1/schedules/by_hand/trigger",
      payload: {},
    });
    expect(empty.statusCode, empty.body).toBe(202);
  });

  it("answers 404 to a trigger of a schedule that does not exist", async () => {
    expect((await t.app.inject({ method: "POST", url: "/api/v1/schedules/ghost/trigger" })).statusCode).toBe(
      404,
    );
  });

  it("lists runs newest first, filtered by schedule and status, up to limit", async () => {
    const second = bodyOf(
      await t.app.inject({ method: "POST", url: "/api/v1/schedules/nightly/trigger" }),
    ).run;
    const runs = bodyOf(
      await t.app.inject({ url: "/api/v1/runs?schedule=nightly&status=queued&limit=1" }),
    ).runs;
    expect(runs.map((r: { id: string }) => r.id)).toEqual([second.id]);
    expect(bodyOf(await t.app.inject({ url: "/api/v1/runs?schedule=nightly" })).runs).toHaveLength(2);
    expect(bodyOf(await t.app.inject({ url: "/api/v1/runs?status=succeeded" })).runs).toEqual([]);
  });
});

describe("the live schedulers", () => {
  it("lists no scheduler when none reports itself", async () => {
    expect(bodyOf(await t.app.inject({ url: "/api/v1/scheduler" }))).toEqual({
      schedulers: [],
      leader: null,
    });
  });

  it("answers ?wait=applied at once with complete: true when no scheduler is live", async () => {
    const started = Date.now();
    const response = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/nightly?wait=applied",
      payload: { cron: "0 3 * * *" },
    });
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).applied).toEqual({ complete: true, schedulers: [], pending: [] });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("waits for every live scheduler and says how long each took", async () => {
    const a = await startFakeScheduler("sched-a");
    const b = await startFakeScheduler("sched-b");
    try {
      const listed = bodyOf(await t.app.inject({ url: "/api/v1/scheduler" }));
      expect(listed.schedulers.map((s: { instanceId: string }) => s.instanceId)).toEqual([
        "sched-a",
        "sched-b",
      ]);
      expect(listed.leader).toBe("sched-a");
      const response = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/schedules/nightly?wait=applied",
        payload: { cron: "0 4 * * *" },
      });
      const { applied } = bodyOf(response);
      expect(applied.complete).toBe(true);
      expect(applied.pending).toEqual([]);
      expect(applied.schedulers).toEqual([
        { instanceId: "sched-a", appliedAt: expect.any(String), latencyMs: 3 },
        { instanceId: "sched-b", appliedAt: expect.any(String), latencyMs: 3 },
      ]);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("waits for the lease holder even when its self-report is gone, and names it when it does not answer", async () => {
    const loud = await startFakeScheduler("sched-loud");
    await t.redis.set(leaderLeaseKey(t.namespace), "sched-unreported", "PX", 60_000);
    try {
      const response = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/schedules/nightly?wait=applied&timeoutMs=200",
        payload: { cron: "0 6 * * *" },
      });
      const { applied } = bodyOf(response);
      expect(applied.complete).toBe(false);
      expect(applied.pending).toEqual(["sched-unreported"]);
      expect(applied.schedulers.map((s: { instanceId: string }) => s.instanceId)).toEqual(["sched-loud"]);
    } finally {
      await t.redis.del(leaderLeaseKey(t.namespace));
      await loud.stop();
    }
  });

  it("gives up after timeoutMs and names the scheduler that did not apply", async () => {
    const quiet = await startFakeScheduler("sched-quiet", { silent: true });
    const loud = await startFakeScheduler("sched-loud");
    try {
      const response = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/schedules/nightly?wait=applied&timeoutMs=200",
        payload: { cron: "0 5 * * *" },
      });
      expect(response.statusCode).toBe(200);
      const { applied } = bodyOf(response);
      expect(applied.complete).toBe(false);
      expect(applied.pending).toEqual(["sched-quiet"]);
      expect(applied.schedulers.map((s: { instanceId: string }) => s.instanceId)).toEqual(["sched-loud"]);
    } finally {
      await quiet.stop();
      await loud.stop();
    }
  });

  it("waits on create, delete and import too", async () => {
    const a = await startFakeScheduler("sched-a");
    try {
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules?wait=applied",
        payload: { name: "short_lived", task: "log", intervalSeconds: 600 },
      });
      expect(bodyOf(created).applied.complete).toBe(true);
      const imported = await t.app.inject({
        method: "POST",
        url: "/api/v1/import?wait=applied",
        payload: { schedules: [{ name: "short_lived", task: "log", intervalSeconds: 900 }] },
      });
      expect(bodyOf(imported).applied.complete).toBe(true);
      const deleted = await t.app.inject({
        method: "DELETE",
        url: "/api/v1/schedules/short_lived?wait=applied",
      });
      expect(bodyOf(deleted).applied).toMatchObject({ complete: true, pending: [] });
    } finally {
      await a.stop();
    }
  });
});
