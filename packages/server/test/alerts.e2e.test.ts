import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, redisUrl, uniqueId, waitFor, type TestDatabase } from "../../../test/helpers.js";
import { eventually, spawnBuilt, waitForExit, waitForLine } from "../../../test/processes.js";
import { startTestServer, type TestServer } from "../../worker/test/httpServer.js";

// Alerts as a deployment gets them: `npm start`'s process with a default webhook set by
// environment, a loopback receiver opened by HOTBEAT_HTTP_TASK_ALLOW, and a downtime made by
// moving a schedule's cursor back before the process starts.
let t: TestDatabase;
let server: ChildProcess;
let base: string;
let receiver: TestServer;
const received = new EventEmitter();

interface Alert {
  path: string;
  key: string;
  body: Record<string, unknown>;
}
const alerts: Alert[] = [];

function nextAlert(predicate: (alert: Alert) => boolean): Promise<Alert> {
  const seen = alerts.find(predicate);
  if (seen) return Promise.resolve(seen);
  return waitFor<Alert>(
    (listener) => {
      received.on("alert", listener);
      return () => received.off("alert", listener);
    },
    predicate,
    30_000,
  );
}

const MISSED_SCHEDULE = "down_for_a_while";

beforeAll(async () => {
  t = await createTestDatabase();
  receiver = await startTestServer();
  receiver.handle((req, res, index) => {
    const path = req.url ?? "";
    if (path.startsWith("/task/")) {
      // The schedule's own http task: /task/fail answers 404, a permanent failure.
      res.statusCode = path === "/task/fail" ? 404 : 200;
      res.end();
      return;
    }
    res.end("ok");
    const request = receiver.requests[index]!;
    const alert = {
      path,
      key: String(request.headers["idempotency-key"]),
      body: JSON.parse(request.body) as Record<string, unknown>,
    };
    alerts.push(alert);
    received.emit("alert", alert);
  });

  // Thirteen per-minute fires owed when the process starts: the scheduler "was down".
  await t.sql`INSERT INTO schedules (name, task, cron, misfire_policy, misfire_grace_seconds, alert)
    VALUES (${MISSED_SCHEDULE}, 'log', '* * * * *', 'run_once', 60,
            ${JSON.stringify({ url: `${receiver.url}/hooks/own`, afterFailures: 3 })}::jsonb)`;
  await t.sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`UPDATE schedules SET created_at = now() - interval '1 day', updated_at = now() - interval '1 day'`;
  });
  await t.sql`INSERT INTO schedule_cursors (schedule_name, last_fire_at)
    VALUES (${MISSED_SCHEDULE}, date_trunc('minute', now()) - interval '13 minutes')`;

  server = spawnBuilt("packages/server/dist/main.js", {
    DATABASE_URL: t.url,
    REDIS_URL: redisUrl(),
    HOTBEAT_PORT: "0",
    HOTBEAT_POLL_INTERVAL_MS: "500",
    HOTBEAT_REDIS_NAMESPACE: uniqueId("e2e"),
    HOTBEAT_HTTP_TASK_ALLOW: "127.0.0.1",
    HOTBEAT_ALERT_URL: `${receiver.url}/hooks/default`,
    HOTBEAT_ALERT_AFTER_FAILURES: "2",
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
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("alerts as npm start sends them", () => {
  it("sends one missed alert to the schedule's own webhook after a downtime with run_once, counting every missed fire", async () => {
    const alert = await nextAlert((a) => a.body.schedule === MISSED_SCHEDULE && a.body.event === "missed");
    const missed = await t.sql<Array<{ scheduled_at: string }>>`
      SELECT scheduled_at::text FROM runs WHERE schedule_name = ${MISSED_SCHEDULE} AND status = 'missed'
      ORDER BY scheduled_at`;
    expect(missed.length).toBeGreaterThanOrEqual(10);
    expect(alert.path).toBe("/hooks/own");
    expect(alert.key).toMatch(/^alert-missed-down_for_a_while-\d+$/);
    expect(alert.body).toMatchObject({
      missedCount: missed.length,
      firstMissedAt: new Date(missed[0]!.scheduled_at).toISOString(),
      lastMissedAt: new Date(missed.at(-1)!.scheduled_at).toISOString(),
    });
    expect(alerts.filter((a) => a.body.event === "missed")).toHaveLength(1);
  });

  it("alerts the default webhook when a schedule without an alert fails twice in a row, and once when it recovers", async () => {
    const name = "failing_every_second";
    const created = await call("POST", "/api/v1/schedules", {
      name,
      task: "http",
      cron: "* * * * * *",
      payload: { url: `${receiver.url}/task/fail` },
    });
    expect(created.status).toBe(201);
    const failing = await nextAlert((a) => a.body.schedule === name && a.body.event === "failing");
    expect(failing.path).toBe("/hooks/default");
    expect(failing.body).toMatchObject({ consecutiveFailures: 2 });

    const patched = await call("PATCH", `/api/v1/schedules/${name}`, {
      payload: { url: `${receiver.url}/task/ok` },
    });
    expect(patched.status).toBe(200);
    const recovered = await nextAlert((a) => a.body.schedule === name && a.body.event === "recovered");
    expect(recovered.path).toBe("/hooks/default");

    // Three more successes, and failures before them: still one failing and one recovered alert.
    await eventually(async () => {
      const [row] = await t.sql<Array<{ count: number }>>`
        SELECT count(*)::int AS count FROM runs
        WHERE schedule_name = ${name} AND status = 'succeeded' AND id <> ${String(recovered.body.runId)}`;
      return row!.count >= 3 ? true : undefined;
    });
    const forSchedule = alerts.filter((a) => a.body.schedule === name).map((a) => a.body.event);
    expect(forSchedule).toEqual(["failing", "recovered"]);
  });

  it("stops cleanly on SIGTERM", async () => {
    server.kill("SIGTERM");
    expect(await waitForExit(server)).toBe(0);
  });
});
