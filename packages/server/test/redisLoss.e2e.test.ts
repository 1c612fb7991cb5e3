import type { ChildProcess } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, uniqueId, type TestDatabase } from "../../../test/helpers.js";
import { startPrivateRedis, type PrivateServer } from "../../../test/privateServices.js";
import { eventually, spawnBuilt, waitForExit, waitForLine } from "../../../test/processes.js";

// hotbeat must survive losing Redis and recover by itself, against a private redis-server.
let t: TestDatabase;
let redis: PrivateServer;
let server: ChildProcess;
let base: string;

beforeAll(async () => {
  t = await createTestDatabase();
  redis = await startPrivateRedis();
  server = spawnBuilt("packages/server/dist/main.js", {
    DATABASE_URL: t.url,
    REDIS_URL: redis.url,
    HOTBEAT_PORT: "0",
    HOTBEAT_REDIS_NAMESPACE: uniqueId("loss"),
  });
  base = (JSON.parse(await waitForLine(server, /"msg":"api listening"/)) as { url: string }).url;
});

async function patch(path: string, body: unknown) {
  const response = await fetch(`${base}${path}`, {
    method: path.includes("schedules/") ? "PATCH" : "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const succeededAfter = (name: string, afterMs: number) =>
  eventually(async () => {
    const rows = await t.sql<{ at: string }[]>`
      SELECT scheduled_at::text AS at FROM runs WHERE schedule_name = ${name} AND status = 'succeeded'`;
    return rows.some((r) => Date.parse(r.at) > afterMs) ? rows.length : undefined;
  }, 20_000);

describe("losing Redis", () => {
  it("keeps answering writes while Redis is down, then applies, fires and runs again once it is back", async () => {
    expect(
      (await patch("/api/v1/schedules", { name: "heartbeat", task: "log", cron: "* * * * * *" })).status,
    ).toBe(201);
    await succeededAfter("heartbeat", Date.now());

    await redis.kill();
    // The database is the truth: a write succeeds without Redis (its publish fails and is logged).
    const during = await patch("/api/v1/schedules/heartbeat", {
      description: "changed while Redis was down",
    });
    expect(during.status).toBe(200);

    await redis.start();
    const backAt = Date.now();
    // The scheduler reports itself to the new, empty Redis...
    await eventually(async () => {
      const response = await fetch(`${base}/api/v1/scheduler`);
      const { schedulers } = (await response.json()) as { schedulers: unknown[] };
      return schedulers.length === 1 ? true : undefined;
    });
    // ...and a change after the outage is live at once: the subscriber came back and resynced.
    const after = await patch("/api/v1/schedules/heartbeat?wait=applied&timeoutMs=10000", {
      cron: "*/2 * * * * *",
    });
    expect(after.status).toBe(200);
    expect(after.body.applied.complete).toBe(true);
    expect(after.body.applied.schedulers).toHaveLength(1);
    // And the whole loop runs again: the leader re-acquired its lease, BullMQ reconnected.
    await succeededAfter("heartbeat", backAt);
  });

  it("still stops cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");
    expect(await waitForExit(server)).toBe(0);
  });
});
