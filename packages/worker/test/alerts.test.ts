/* eslint-disable @typescript-eslint/require-await -- handlers are async by contract; test handlers have nothing to await */
import type { EventEmitter } from "node:events";
import {
  ALERTS_QUEUE,
  createMetricsRegistry,
  noteRunOutcomes,
  type AlertBody,
  type AlertDeps,
  type AlertSettings,
  type MetricsRegistry,
  type RunRow,
} from "@hotbeat/shared";
import { Queue } from "bullmq";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testLogger, uniqueId, waitFor } from "../../../test/helpers.js";
import {
  createAlertWorker,
  createTaskRegistry,
  OutcomeAlerter,
  PermanentTaskError,
  registerAlertMetrics,
  type AlertWorker,
  type TaskContext,
} from "../src/index.js";
import { startTestServer, type TestServer } from "./httpServer.js";
import { createHarness, type Harness } from "./support.js";

let h: Harness;
let server: TestServer;
let alertQueue: Queue;
const alertWorkers: AlertWorker[] = [];

/** Whether the next run of the `flaky` task fails. */
let shouldFail = true;
/** What the `pager` task was called with. */
const paged: Array<{ payload: unknown; context: TaskContext }> = [];
const registry = createTaskRegistry()
  .register({
    name: "flaky",
    handler: async () => {
      if (shouldFail) throw new PermanentTaskError("the report server said no");
      return "ok";
    },
  })
  .register({
    name: "pager",
    handler: async (payload, context) => {
      paged.push({ payload, context });
    },
  });

beforeAll(async () => {
  h = await createHarness();
  server = await startTestServer();
});
beforeEach(async () => {
  await h.useNamespace();
  alertQueue = new Queue(ALERTS_QUEUE, { connection: h.redis, prefix: h.namespace });
  server.requests.length = 0;
  server.handle((_req, res) => res.end("ok"));
  shouldFail = true;
  paged.length = 0;
});
afterEach(async () => {
  await Promise.all(alertWorkers.splice(0).map((worker) => worker.close()));
  await alertQueue.obliterate({ force: true });
  await alertQueue.close();
});

/** The next `event` of `emitter` whose value satisfies `predicate`; subscribe before causing it. */
function nextOf<T>(emitter: EventEmitter, event: string, predicate: (value: T) => boolean = () => true) {
  return waitFor<T>((listener) => {
    emitter.on(event, listener);
    return () => emitter.off(event, listener);
  }, predicate);
}

interface Setup {
  alerter: OutcomeAlerter;
  alerts: AlertWorker;
  metrics: MetricsRegistry;
}

/** A run worker whose outcomes raise alerts, and an alert worker delivering them with `allow`. */
function startAlerting(settings: Partial<AlertSettings> = {}, allow = ["127.0.0.1"]): Setup {
  const deps: AlertDeps = {
    db: h.t.db,
    queue: alertQueue,
    settings: {
      defaultUrl: undefined,
      defaultAfterFailures: 3,
      apiUrl: "http://127.0.0.1:3000",
      ...settings,
    },
    log: testLogger(),
  };
  const alerter = new OutcomeAlerter(deps);
  h.startWorker({ registry, onRunsFinished: (runs) => alerter.note(runs) });
  const alerts = createAlertWorker({
    connection: h.redis,
    namespace: h.namespace,
    registry,
    allow,
    log: testLogger(),
  });
  alertWorkers.push(alerts);
  const metrics = createMetricsRegistry();
  registerAlertMetrics(metrics, alerts);
  return { alerter, alerts, metrics };
}

async function createSchedule(alert: unknown): Promise<string> {
  const name = uniqueId("report_");
  await h.t.sql`INSERT INTO schedules (name, task, cron, alert)
    VALUES (${name}, 'flaky', '0 9 * * *', ${alert === null ? null : JSON.stringify(alert)}::jsonb)`;
  return name;
}

let fireCount = 0;
/** Runs one scheduled fire of `schedule` and resolves once its outcome was looked at for alerts. */
async function runFire(setup: Setup, schedule: string) {
  fireCount += 1;
  const run = await h.insertRun(
    "flaky",
    {},
    {
      scheduleName: schedule,
      scheduledAt: new Date(Date.parse("2026-03-01T09:00:00Z") + fireCount * 86_400_000),
    },
  );
  const noted = nextOf<{ runIds: string[]; alerts: Array<{ key: string; body: AlertBody }> }>(
    setup.alerter,
    "noted",
    (e) => e.runIds.includes(run.id),
  );
  await h.enqueue(run);
  return { run, alerts: (await noted).alerts };
}

async function countAlertJobs(): Promise<number> {
  const counts = await alertQueue.getJobCounts("waiting", "active", "delayed", "completed", "failed");
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

async function alertCount(metrics: MetricsRegistry, event: string, outcome: string): Promise<number> {
  const metric = await metrics.getSingleMetric("hotbeat_alerts_total")!.get();
  return metric.values.find((v) => v.labels.event === event && v.labels.outcome === outcome)?.value ?? 0;
}

describe("alerts on run outcomes", () => {
  it("sends one failing alert when the third run in a row fails, and none at the fourth", async () => {
    const setup = startAlerting();
    const name = await createSchedule({ url: `${server.url}/hooks/ops`, afterFailures: 3 });
    expect((await runFire(setup, name)).alerts).toEqual([]);
    expect((await runFire(setup, name)).alerts).toEqual([]);

    const sent = nextOf<{ key: string }>(setup.alerts, "sent");
    const third = await runFire(setup, name);
    expect(third.alerts).toHaveLength(1);
    const key = third.alerts[0]!.key;
    expect((await sent).key).toBe(key);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", url: "/hooks/ops" });
    expect(request!.headers).toMatchObject({
      "idempotency-key": key,
      "x-hotbeat-schedule": name,
      "x-hotbeat-event": "failing",
      "content-type": "application/json",
    });
    expect(JSON.parse(request!.body)).toEqual({
      event: "failing",
      schedule: name,
      at: (await h.readRun(third.run.id)).finishedAt!.toISOString(),
      runId: third.run.id,
      consecutiveFailures: 3,
      error: "the report server said no",
      url: `http://127.0.0.1:3000/api/v1/runs?schedule=${name}&status=failed`,
    });

    expect((await runFire(setup, name)).alerts).toEqual([]);
    expect(await countAlertJobs()).toBe(1);
    expect(await alertCount(setup.metrics, "failing", "sent")).toBe(1);
  });

  it("sends one recovered alert at the first success after a failing alert, and none at the next success", async () => {
    const setup = startAlerting();
    const name = await createSchedule({ url: `${server.url}/hooks/ops`, afterFailures: 1 });
    expect((await runFire(setup, name)).alerts.map((a) => a.body.event)).toEqual(["failing"]);

    shouldFail = false;
    const recoveredSent = nextOf<{ event: string }>(setup.alerts, "sent", (e) => e.event === "recovered");
    const success = await runFire(setup, name);
    expect(success.alerts.map((a) => a.body.event)).toEqual(["recovered"]);
    await recoveredSent;
    expect((await runFire(setup, name)).alerts).toEqual([]);

    const bodies = server.requests.map((r) => JSON.parse(r.body) as AlertBody);
    expect(bodies.map((b) => b.event).sort()).toEqual(["failing", "recovered"]);
    expect(bodies.find((b) => b.event === "recovered")).toEqual({
      event: "recovered",
      schedule: name,
      at: (await h.readRun(success.run.id)).finishedAt!.toISOString(),
      runId: success.run.id,
      url: `http://127.0.0.1:3000/api/v1/runs?schedule=${name}&status=succeeded`,
    });

    // A new streak alerts again: the open alert was answered.
    shouldFail = true;
    expect((await runFire(setup, name)).alerts.map((a) => a.body.event)).toEqual(["failing"]);
  });

  it("refuses a loopback alert URL without the allow list, counts it failed, and leaves the run failed as it was", async () => {
    const setup = startAlerting({}, []);
    const name = await createSchedule({ url: `${server.url}/hooks/ops`, afterFailures: 1 });
    const failed = nextOf<{ error: string; attempt: number }>(setup.alerts, "failed");
    const { run, alerts } = await runFire(setup, name);
    expect(alerts).toHaveLength(1);
    const failure = await failed;
    expect(failure.error).toMatch(/refused to connect to 127\.0\.0\.1: loopback address/);
    expect(failure.attempt).toBe(1);
    expect(server.requests).toHaveLength(0);
    expect(await alertCount(setup.metrics, "failing", "failed")).toBe(1);
    expect(await h.readRun(run.id)).toMatchObject({ status: "failed", error: "the report server said no" });
  });

  it("alerts the deployment's default URL for a schedule whose alert is null, after its count of failures", async () => {
    const setup = startAlerting({ defaultUrl: `${server.url}/hooks/default`, defaultAfterFailures: 2 });
    const name = await createSchedule(null);
    expect((await runFire(setup, name)).alerts).toEqual([]);
    const sent = nextOf(setup.alerts, "sent");
    expect((await runFire(setup, name)).alerts.map((a) => a.body.consecutiveFailures)).toEqual([2]);
    await sent;
    expect(server.requests.map((r) => r.url)).toEqual(["/hooks/default"]);
  });

  it("alerts nobody and keeps no bookkeeping for a schedule whose alert is null when no default is set", async () => {
    const setup = startAlerting();
    const name = await createSchedule(null);
    for (let i = 0; i < 4; i++) expect((await runFire(setup, name)).alerts).toEqual([]);
    expect(await h.t.sql`SELECT * FROM schedule_alert_states WHERE schedule_name = ${name}`).toHaveLength(0);
  });

  it("calls a registered task with the alert as its payload and the alert's key as its run id", async () => {
    const setup = startAlerting();
    const name = await createSchedule({ task: "pager", afterFailures: 1 });
    const sent = nextOf(setup.alerts, "sent");
    const { run, alerts } = await runFire(setup, name);
    await sent;
    expect(paged).toHaveLength(1);
    expect(paged[0]!.payload).toMatchObject({ event: "failing", schedule: name, runId: run.id });
    expect(paged[0]!.context).toMatchObject({ runId: alerts[0]!.key, scheduleName: name, attempt: 1 });
  });

  it("retries a webhook that answered 503, with the same Idempotency-Key, until it takes the alert", async () => {
    const setup = startAlerting();
    server.handle((_req, res, index) => {
      res.statusCode = index === 0 ? 503 : 200;
      res.end();
    });
    const name = await createSchedule({ url: `${server.url}/hooks/ops`, afterFailures: 1 });
    const sent = nextOf<{ attempt: number }>(setup.alerts, "sent");
    await runFire(setup, name);
    expect((await sent).attempt).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(new Set(server.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(await alertCount(setup.metrics, "failing", "retried")).toBe(1);
    expect(await alertCount(setup.metrics, "failing", "sent")).toBe(1);
  });

  it("raises one failing alert when two workers note the run that completes the streak at once", async () => {
    const name = await createSchedule({ url: `${server.url}/hooks/ops`, afterFailures: 2 });
    const failedRuns: RunRow[] = [];
    for (const day of [1, 2]) {
      failedRuns.push(
        await h.insertRun(
          "flaky",
          {},
          {
            scheduleName: name,
            scheduledAt: new Date(`2026-04-0${day}T09:00:00Z`),
            status: "failed",
            finishedAt: new Date(`2026-04-0${day}T09:00:01Z`),
            error: "no",
          },
        ),
      );
    }
    const deps: AlertDeps = {
      db: h.t.db,
      queue: alertQueue,
      settings: { defaultUrl: undefined, defaultAfterFailures: 3, apiUrl: "http://127.0.0.1:3000" },
      log: testLogger(),
    };
    const raised = await Promise.all([noteRunOutcomes(deps, failedRuns), noteRunOutcomes(deps, failedRuns)]);
    expect(raised.flat()).toHaveLength(1);
    expect(await countAlertJobs()).toBe(1);
  });
});
