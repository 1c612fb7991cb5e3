import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

// The server-side list the page pages through: filters, search, sort by next run, cursors.
const NOW = new Date("2026-06-01T00:00:00Z");
const ZONES = ["UTC", "Europe/Berlin", "Asia/Ho_Chi_Minh", "America/New_York"];
let t: TestApi;

interface Listed {
  name: string;
  nextFireAt: string | null;
  summary: string;
  enabled: boolean;
}
interface ListAnswer {
  schedules: Listed[];
  nextCursor: string | null;
}

const list = async (query: string) => {
  const response = await t.app.inject({ url: `/api/v1/schedules${query}` });
  expect(response.statusCode).toBe(200);
  return bodyOf<ListAnswer>(response);
};

async function collectPages(query: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ListAnswer = await list(`${query}${cursor ? `&cursor=${cursor}` : ""}`);
    names.push(...page.schedules.map((s) => s.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

beforeAll(async () => {
  t = await createTestApi({ now: () => NOW });
  const schedules = [
    { name: "payroll_month_end", task: "payroll", cron: "0 18 L * *", timezone: "Europe/Berlin" },
    {
      name: "morning_report",
      task: "reports",
      cron: "15 9 * * *",
      timezone: "Asia/Ho_Chi_Minh",
      description: "Daily 100% summary",
    },
    { name: "cache_warmup", task: "cache", intervalSeconds: 3600, startAt: "2026-01-01T00:30:00Z" },
    { name: "paused_cleanup", task: "cache", cron: "0 3 * * *", enabled: false },
    { name: "new_year_once", task: "reports", runAt: "2027-01-01T02:00:00Z", timezone: "Asia/Ho_Chi_Minh" },
  ];
  const imported = await t.app.inject({ method: "POST", url: "/api/v1/import", payload: { schedules } });
  expect(imported.statusCode).toBe(200);
});

describe("GET /api/v1/schedules", () => {
  it("answers every schedule by name without a limit, each with its next fire and its summary", async () => {
    const answer = await list("");
    expect(answer.nextCursor).toBeNull();
    expect(answer.schedules.map((s) => [s.name, s.nextFireAt, s.summary])).toEqual([
      ["cache_warmup", "2026-06-01T00:30:00.000Z", "Every hour"],
      ["morning_report", "2026-06-01T02:15:00.000Z", "At 09:15 every day, Asia/Ho_Chi_Minh"],
      ["new_year_once", "2027-01-01T02:00:00.000Z", "Once, at 2027-01-01 09:00, Asia/Ho_Chi_Minh"],
      ["paused_cleanup", null, "At 03:00 every day, UTC"],
      [
        "payroll_month_end",
        "2026-06-30T16:00:00.000Z",
        "At 18:00 on the last day of the month, Europe/Berlin",
      ],
    ]);
  });

  it("sorts by next run, soonest first, paused and finished schedules last", async () => {
    const answer = await list("?sort=next");
    expect(answer.schedules.map((s) => s.name)).toEqual([
      "cache_warmup",
      "morning_report",
      "payroll_month_end",
      "new_year_once",
      "paused_cleanup",
    ]);
  });

  it("pages by cursor in both orders without losing or repeating a schedule", async () => {
    expect(await collectPages("?limit=2")).toEqual([
      "cache_warmup",
      "morning_report",
      "new_year_once",
      "paused_cleanup",
      "payroll_month_end",
    ]);
    expect(await collectPages("?limit=2&sort=next")).toEqual([
      "cache_warmup",
      "morning_report",
      "payroll_month_end",
      "new_year_once",
      "paused_cleanup",
    ]);
  });

  it("searches name and description as plain text, a % being a percent sign", async () => {
    expect((await list("?q=REPORT")).schedules.map((s) => s.name)).toEqual(["morning_report"]);
    expect((await list("?q=100%25")).schedules.map((s) => s.name)).toEqual(["morning_report"]);
    expect((await list("?q=1_0")).schedules).toEqual([]);
  });

  it("filters by enabled and by task", async () => {
    expect((await list("?enabled=false")).schedules.map((s) => s.name)).toEqual(["paused_cleanup"]);
    expect((await list("?task=cache&enabled=true")).schedules.map((s) => s.name)).toEqual(["cache_warmup"]);
  });

  it("refuses a cursor it did not give out, and a limit above 500, naming the field", async () => {
    const bad = await t.app.inject({ url: "/api/v1/schedules?limit=2&cursor=bm9wZQ" });
    expect(bad.statusCode).toBe(400);
    expect(bodyOf(bad).error.details).toEqual([
      { field: "cursor", message: "not a cursor this list gave out" },
    ]);
    const tooMany = await t.app.inject({ url: "/api/v1/schedules?limit=501" });
    expect(tooMany.statusCode).toBe(400);
    expect(bodyOf(tooMany).error.details[0].field).toMatch(/limit/);
  });

  it("carries each schedule's last run in every order and filter: the newest made, never a skip still ahead", async () => {
    await t.database.sql`
      INSERT INTO runs (schedule_name, task, kind, scheduled_at, schedule_version, status, created_at, started_at, finished_at)
      VALUES ('payroll_month_end', 'payroll', 'schedule', '2026-05-31T16:00:00Z', 1, 'succeeded',
              '2026-05-31T16:00:00Z', '2026-05-31T16:00:01Z', '2026-05-31T16:00:09Z'),
             ('payroll_month_end', 'payroll', 'manual', '2026-05-31T20:00:00Z', 1, 'failed',
              '2026-05-31T20:00:00Z', '2026-05-31T20:00:01Z', '2026-05-31T20:00:02Z'),
             ('payroll_month_end', 'payroll', 'schedule', '2026-06-30T16:00:00Z', 1, 'skipped',
              '2026-05-31T21:00:00Z', NULL, NULL)`;
    const expected = {
      kind: "manual",
      status: "failed",
      scheduledAt: "2026-05-31T20:00:00.000Z",
      startedAt: "2026-05-31T20:00:01.000Z",
      finishedAt: "2026-05-31T20:00:02.000Z",
    };
    for (const query of ["", "?sort=next", "?health=ok", "?health=ok&sort=next", "?limit=5&task=payroll"]) {
      const byName = new Map(
        (await list(query)).schedules.map((s) => [s.name, s as Listed & { lastRun: unknown }]),
      );
      expect(byName.get("payroll_month_end")?.lastRun, query).toMatchObject({
        ...expected,
        id: expect.any(String),
      });
      if (byName.has("morning_report")) expect(byName.get("morning_report")?.lastRun, query).toBeNull();
    }
    const doc = bodyOf<{ components: { schemas: Record<string, unknown> } }>(
      await t.app.inject({ url: "/docs/json" }),
    );
    expect(doc.components.schemas.LastRun).toBeDefined();
  });

  it("sorts 10,000 schedules by next run and answers their first page", async () => {
    // Seeded by one INSERT … SELECT, not through the import: the subject is the sorted page, and
    // the import's statements and messages per schedule made up nearly all of this test's time.
    const seeded = await t.database.sql`
      INSERT INTO schedules (name, task, cron, timezone)
      SELECT 'bulk_' || lpad(i::text, 5, '0'), 'bulk',
             (i % 60) || ' ' || (i % 24) || ' * * ' || (i % 7), (${ZONES}::text[])[i % ${ZONES.length} + 1]
      FROM generate_series(0, 9999) AS i`;
    expect(seeded.count).toBe(10_000);
    const startedMs = performance.now();
    const page = await list("?sort=next&limit=50&task=bulk");
    // Printed, not asserted: speed belongs to the benchmarks.
    process.stdout.write(
      `sort=next over 10,000 schedules: ${(performance.now() - startedMs).toFixed(0)} ms\n`,
    );
    expect(page.schedules).toHaveLength(50);
    const fires = page.schedules.map((s) => s.nextFireAt ?? "");
    expect([...fires].sort()).toEqual(fires);
  });
});
