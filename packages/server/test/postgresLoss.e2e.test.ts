import type { ChildProcess } from "node:child_process";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisUrl, uniqueId } from "../../../test/helpers.js";
import { startPrivatePostgres, type PrivateServer } from "../../../test/privateServices.js";
import { eventually, spawnBuilt, waitForExit, waitForLine } from "../../../test/processes.js";

// hotbeat must survive losing PostgreSQL and recover by itself, against a private cluster that
// this file stops (immediate shutdown, every connection dropped) and starts again.
let pg: PrivateServer;
let sql: postgres.Sql;
let server: ChildProcess;
let base: string;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  server = spawnBuilt("packages/server/dist/main.js", {
    DATABASE_URL: pg.url,
    REDIS_URL: redisUrl(),
    HOTBEAT_PORT: "0",
    HOTBEAT_REDIS_NAMESPACE: uniqueId("pgloss"),
  });
  base = (JSON.parse(await waitForLine(server, /"msg":"api listening"/)) as { url: string }).url;
  sql = postgres(pg.url, { max: 1, onnotice: () => undefined });
}, 60_000);
afterAll(() => sql.end({ timeout: 1 }));

const firesOf = async () =>
  (
    await sql<{ at: string; status: string }[]>`
      SELECT scheduled_at::text AS at, status FROM runs WHERE schedule_name = 'heartbeat' ORDER BY scheduled_at`
  ).map((r) => ({ at: Date.parse(r.at), status: r.status }));

describe("losing PostgreSQL", () => {
  it("says it is not ready while PostgreSQL is down, and fires every missed second once it is back", async () => {
    const created = await fetch(`${base}/api/v1/schedules`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "heartbeat", task: "log", cron: "* * * * * *" }),
    });
    expect(created.status).toBe(201);
    await eventually(async () => ((await firesOf()).length >= 2 ? true : undefined));

    await pg.kill();
    const downAt = Date.now();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toMatch(/postgres/i);
    // Fires keep coming due while the database is away: let two attempts fail before it returns.
    await waitForLine(server, /"msg":"fire failed; retrying"/);
    await waitForLine(server, /"msg":"fire failed; retrying"/);

    await pg.start();
    const upAt = Date.now();
    const fires = await eventually(async () => {
      const all = await firesOf().catch(() => undefined);
      return all && all.filter((f) => f.at > downAt + 2_000 && f.status === "succeeded").length >= 2
        ? all
        : undefined;
    }, 30_000);
    // Within misfireGraceSeconds every missed instant fires late, once; none lost, none twice.
    const instants = fires.map((f) => f.at);
    expect(new Set(instants).size).toBe(instants.length);
    for (let i = 1; i < instants.length; i++) expect(instants[i]! - instants[i - 1]!).toBe(1000);
    expect(instants.filter((at) => at > downAt && at < upAt).length).toBeGreaterThanOrEqual(2);
  });

  it("still stops cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");
    expect(await waitForExit(server)).toBe(0);
  });
});
