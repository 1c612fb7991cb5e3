import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schedulerStatusPattern, schedulerStatusSchema, type SchedulerStatus } from "@hotbeat/shared";
import { createTestDatabase, redisUrl, uniqueId, type TestDatabase } from "../../../test/helpers.js";
import { eventually, spawnBuilt, waitForLine } from "../../../test/processes.js";
import { createTestWriter } from "./support.js";

// Two real scheduler processes; the leader dies by SIGKILL (no chance to release its lease).
let t: TestDatabase;
let redis: Redis;
const namespace = uniqueId("failover");
const schedulers = new Map<number, ChildProcess>();

beforeAll(async () => {
  t = await createTestDatabase();
  redis = new Redis(redisUrl());
  for (let i = 0; i < 2; i++) {
    const child = spawnBuilt("packages/scheduler/dist/main.js", {
      DATABASE_URL: t.url,
      REDIS_URL: redisUrl(),
      HOTBEAT_REDIS_NAMESPACE: namespace,
    });
    await waitForLine(child, /"msg":"schedules loaded"/);
    schedulers.set(child.pid!, child);
  }
});
afterAll(() => redis.disconnect());

async function liveSchedulers(): Promise<SchedulerStatus[]> {
  const keys = await redis.keys(schedulerStatusPattern(namespace));
  const values = keys.length ? await redis.mget(keys) : [];
  return values.flatMap((v) => (v ? [schedulerStatusSchema.parse(JSON.parse(v))] : []));
}

const firesOf = async (name: string) =>
  (
    await t.sql<{ at: string; created: string }[]>`
    SELECT scheduled_at::text AS at, created_at::text AS created FROM runs WHERE schedule_name = ${name} ORDER BY scheduled_at`
  ).map((r) => ({ at: Date.parse(r.at), createdAt: Date.parse(r.created) }));

describe("leader failover with real processes", () => {
  it("fires every second exactly once across a kill -9 of the leader, the other taking over within 6 s", async () => {
    await createTestWriter(t).create(
      { name: "every_second", task: "log", cron: "* * * * * *" },
      { actor: "test", source: "api" },
    );
    await eventually(async () => ((await firesOf("every_second")).length >= 3 ? true : undefined));

    const leader = await eventually(async () => (await liveSchedulers()).find((s) => s.isLeader));
    const killedAt = Date.now();
    schedulers.get(leader.pid)!.kill("SIGKILL");

    const successor = await eventually(
      async () => (await liveSchedulers()).find((s) => s.isLeader && s.pid !== leader.pid),
      10_000,
    );
    expect(successor.pid).not.toBe(leader.pid);
    // Fires recorded after the kill: the first must come within 6 s of it.
    const afterKill = await eventually(async () => {
      const fires = (await firesOf("every_second")).filter((f) => f.createdAt > killedAt);
      return fires.length >= 3 ? fires : undefined;
    }, 15_000);
    expect(afterKill[0]!.createdAt - killedAt).toBeLessThanOrEqual(6_000);

    // No instant twice, and none lost: the gap was within misfireGraceSeconds, so run_once's
    // grace fires every instant of it late, once each.
    const fires = await firesOf("every_second");
    const instants = fires.map((f) => f.at);
    expect(new Set(instants).size).toBe(instants.length);
    for (let i = 1; i < instants.length; i++) expect(instants[i]! - instants[i - 1]!).toBe(1000);
  });
});
