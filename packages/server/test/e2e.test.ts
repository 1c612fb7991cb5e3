import type { ChildProcess } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, redisUrl, uniqueId, type TestDatabase } from "../../../test/helpers.js";
import { eventually, spawnBuilt, waitForExit, waitForLine } from "../../../test/processes.js";

// The whole product as a user runs it: `npm start`'s process (API, scheduler, worker) on a real
// database and Redis, driven over HTTP, with runs read back from PostgreSQL.
let t: TestDatabase;
let server: ChildProcess;
let base: string;

beforeAll(async () => {
  t = await createTestDatabase();
  server = spawnBuilt("packages/server/dist/main.js", {
    DATABASE_URL: t.url,
    REDIS_URL: redisUrl(),
    HOTBEAT_PORT: "0",
    HOTBEAT_POLL_INTERVAL_MS: "500",
    HOTBEAT_REDIS_NAMESPACE: uniqueId("e2e"),
  });
  const line = await waitForLine(server, /"msg":"api listening"/);
  base = (JSON.parse(line) as { url: string }).url;
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

interface RunRow {
  scheduled_at: string;
  status: string;
  created_at: string;
}
const runsOf = (name: string) =>
  t.sql<
    RunRow[]
  >`SELECT scheduled_at::text, status, created_at::text FROM runs WHERE schedule_name = ${name} ORDER BY scheduled_at`;
const secondOf = (row: RunRow) => new Date(row.scheduled_at).getUTCSeconds();

describe("hotbeat as npm start runs it", () => {
  it("moves a seconds-level cron: after the PATCH it fires at the new instants and never at the old", async () => {
    const created = await call("POST", "/api/v1/schedules", {
      name: "even_seconds",
      task: "log",
      cron: "*/2 * * * * *",
    });
    expect(created.status).toBe(201);
    await eventually(async () =>
      (await runsOf("even_seconds")).some((r) => r.status === "succeeded") ? true : undefined,
    );

    const patched = await call("PATCH", "/api/v1/schedules/even_seconds?wait=applied", {
      cron: "1-59/2 * * * * *",
    });
    expect(patched.status).toBe(200);
    expect(patched.body.applied.complete).toBe(true);
    expect(patched.body.applied.schedulers).toHaveLength(1);
    const changedAt = Date.now();

    const after = await eventually(async () => {
      const later = (await runsOf("even_seconds")).filter((r) => Date.parse(r.scheduled_at) > changedAt);
      return later.filter((r) => r.status === "succeeded").length >= 3 ? later : undefined;
    });
    expect(after.every((r) => secondOf(r) % 2 === 1)).toBe(true);
    const all = await runsOf("even_seconds");
    expect(new Set(all.map((r) => r.scheduled_at)).size).toBe(all.length);
  });

  it("picks up a raw SQL edit through the poll, with history source sql", async () => {
    await call("POST", "/api/v1/schedules", { name: "edited_in_sql", task: "log", cron: "0 0 1 1 *" });
    await t.sql`UPDATE schedules SET cron = '0 0 2 1 *' WHERE name = 'edited_in_sql'`;
    const status = await eventually(async () => {
      const { body } = await call("GET", "/api/v1/scheduler");
      const scheduler = (
        body.schedulers as Array<{ lastApplied: { name: string; version: number } | null }>
      )[0];
      return scheduler?.lastApplied?.name === "edited_in_sql" && scheduler.lastApplied.version === 2
        ? scheduler
        : undefined;
    });
    expect(status.lastApplied!.version).toBe(2);
    const history = await call("GET", "/api/v1/schedules/edited_in_sql/history");
    expect((history.body.history as Array<{ source: string }>)[0]!.source).toBe("sql");
  });

  it("stops cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");
    expect(await waitForExit(server)).toBe(0);
  });
});
