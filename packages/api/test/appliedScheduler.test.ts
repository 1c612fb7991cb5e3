import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisUrl } from "../../../test/helpers.js";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const schedulerMain = `${root}packages/scheduler/src/main.ts`;
const tsx = `${root}node_modules/.bin/tsx`;

let t: TestApi;
let scheduler: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(tsx)) throw new Error("tsx is missing: run npm install");
  t = await createTestApi();
  const created = await t.app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: { name: "seen_live", task: "log", cron: "0 9 * * *" },
  });
  expect(created.statusCode).toBe(201);
  // The real scheduler process, as `npm run start:scheduler` runs it, on this file's database and namespace.
  scheduler = spawn(tsx, [schedulerMain], {
    env: {
      ...process.env,
      DATABASE_URL: t.database.url,
      REDIS_URL: redisUrl(),
      HOTBEAT_REDIS_NAMESPACE: t.namespace,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForLiveScheduler(30_000);
}, 60_000);

afterAll(async () => {
  if (!scheduler || scheduler.exitCode !== null) return;
  const exited = new Promise((resolve) => scheduler!.once("exit", resolve));
  scheduler.kill("SIGTERM");
  await exited;
});

/** Polls the API's own view of the schedulers: the event we wait for is its self-report. */
async function waitForLiveScheduler(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (scheduler?.exitCode !== null) throw new Error(`the scheduler exited with ${scheduler?.exitCode}`);
    const { schedulers } = bodyOf(await t.app.inject({ url: "/api/v1/scheduler" }));
    if (schedulers.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("no scheduler reported itself");
}

describe("?wait=applied with a real scheduler process", () => {
  it("lists the scheduler as live, holding the schedule", async () => {
    const { schedulers, leader } = bodyOf(await t.app.inject({ url: "/api/v1/scheduler" }));
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0].schedulesLoaded).toBe(1);
    expect(leader).toBe(schedulers[0].instanceId);
  });

  it("answers a PATCH once the scheduler applied it, complete, with its latency", async () => {
    const response = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/seen_live?wait=applied&timeoutMs=5000",
      payload: { cron: "15 9 * * *" },
    });
    expect(response.statusCode).toBe(200);
    const { applied, schedule } = bodyOf(response);
    expect(schedule.version).toBe(2);
    expect(applied.complete).toBe(true);
    expect(applied.pending).toEqual([]);
    expect(applied.schedulers).toHaveLength(1);
    expect(applied.schedulers[0].latencyMs).toEqual(expect.any(Number));
    expect(applied.schedulers[0].latencyMs).toBeLessThan(1000);
    const { schedulers } = bodyOf(await t.app.inject({ url: "/api/v1/scheduler" }));
    expect(schedulers[0].lastApplied).toMatchObject({ name: "seen_live", version: 2 });
  });
});
