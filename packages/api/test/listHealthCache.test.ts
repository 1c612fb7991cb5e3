import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

// The list caches each schedule's health and summary by (name, version). Every test here first
// lists the schedule (so the cache holds it), changes it by some path, and lists again: the
// answer must be the new row's, never the cached one.

interface Listed {
  name: string;
  version: number;
  summary: string;
  health: { status: string; reason: string | null };
}

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
});

const list = async (query: string): Promise<Listed[]> => {
  const response = await t.app.inject({ method: "GET", url: `/api/v1/schedules?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return bodyOf<{ schedules: Listed[] }>(response).schedules;
};
const namesOf = (items: Listed[]) => items.map((item) => item.name);
const listedOne = async (name: string) => (await list(`q=${name}`)).find((item) => item.name === name);

async function create(payload: object): Promise<void> {
  const response = await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload });
  expect(response.statusCode, response.body).toBe(201);
}

/** Lists `name` every way the cache is filled: plain, by health and by next run. */
async function listEveryWay(name: string): Promise<void> {
  await list(`q=${name}`);
  await list(`q=${name}&health=ok`);
  await list(`q=${name}&health=invalid&sort=next`);
}

describe("the list's cache of health and summary", () => {
  it("recomputes them after a raw SQL edit breaks a schedule, and after the API fixes it", async () => {
    await create({ name: "cache_sql_edit", task: "log", cron: "0 9 * * *", timezone: "UTC" });
    await listEveryWay("cache_sql_edit");
    expect(namesOf(await list("q=cache_sql_edit&health=invalid"))).toEqual([]);

    await t.database.sql`UPDATE schedules SET timezone = 'Mars/Olympus', cron = '30 7 * * *'
      WHERE name = 'cache_sql_edit'`;
    const broken = await list("q=cache_sql_edit&health=invalid");
    expect(namesOf(broken)).toEqual(["cache_sql_edit"]);
    expect(broken[0]).toMatchObject({ version: 2, health: { status: "invalid", reason: /^timezone: / } });
    expect(namesOf(await list("q=cache_sql_edit&health=ok"))).toEqual([]);
    expect((await listedOne("cache_sql_edit"))?.health.status).toBe("invalid");

    const fixed = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/cache_sql_edit",
      payload: { timezone: "Asia/Ho_Chi_Minh" },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(namesOf(await list("q=cache_sql_edit&health=invalid"))).toEqual([]);
    expect(await listedOne("cache_sql_edit")).toMatchObject({
      version: 3,
      health: { status: "ok", reason: null },
      summary: "At 07:30 every day, Asia/Ho_Chi_Minh",
    });
  });

  it("recomputes the summary after a raw SQL edit of the timing", async () => {
    await create({ name: "cache_sql_summary", task: "log", cron: "0 9 * * *", timezone: "UTC" });
    await listEveryWay("cache_sql_summary");
    expect((await listedOne("cache_sql_summary"))?.summary).toBe("At 09:00 every day, UTC");
    await t.database.sql`UPDATE schedules SET cron = NULL, interval_seconds = 3600
      WHERE name = 'cache_sql_summary'`;
    expect(await listedOne("cache_sql_summary")).toMatchObject({ version: 2, summary: "Every hour" });
  });

  it("tells a schedule deleted and created again by SQL from the one it cached", async () => {
    await create({ name: "cache_recreated", task: "log", cron: "0 9 * * *" });
    await listEveryWay("cache_recreated");
    await t.database.sql`DELETE FROM schedules WHERE name = 'cache_recreated'`;
    await t.database
      .sql`INSERT INTO schedules (name, task, cron) VALUES ('cache_recreated', 'log', '61 * * * *')`;
    const invalid = await list("q=cache_recreated&health=invalid");
    expect(namesOf(invalid)).toEqual(["cache_recreated"]);
    expect(invalid[0]?.health.reason).toMatch(/^cron: /);
    expect(invalid[0]?.version).toBeGreaterThan(1);
  });

  it("turns invalid when a calendar it names is deleted by SQL, and ok when it is back", async () => {
    const calendar = await t.app.inject({
      method: "POST",
      url: "/api/v1/calendars",
      payload: { name: "cache-holidays", dates: ["2030-01-01"] },
    });
    expect(calendar.statusCode, calendar.body).toBe(201);
    await create({ name: "cache_calendar", task: "log", cron: "0 9 * * *", calendars: ["cache-holidays"] });
    await listEveryWay("cache_calendar");
    expect(namesOf(await list("q=cache_calendar&health=invalid"))).toEqual([]);

    await t.database.sql`DELETE FROM calendars WHERE name = 'cache-holidays'`;
    const invalid = await list("q=cache_calendar&health=invalid");
    expect(namesOf(invalid)).toEqual(["cache_calendar"]);
    expect(invalid[0]?.health.reason).toBe('calendars.0: calendar "cache-holidays" does not exist');
    expect((await listedOne("cache_calendar"))?.health.status).toBe("invalid");

    await t.database.sql`INSERT INTO calendars (name, dates) VALUES ('cache-holidays', '["2030-01-01"]')`;
    expect(namesOf(await list("q=cache_calendar&health=invalid"))).toEqual([]);
    expect((await listedOne("cache_calendar"))?.health.status).toBe("ok");
  });
});
