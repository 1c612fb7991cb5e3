import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
});

async function seed(name: string, fields: Record<string, unknown>) {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: { name, task: "log", timezone: "Asia/Ho_Chi_Minh", ...fields },
  });
  expect(response.statusCode).toBe(201);
}

const legacy = (name: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: `/update_schedule/${name}`, payload });

describe("the older POST /update_schedule/:name", () => {
  it.each([
    [0, "0 8 * * 1"],
    [1, "0 8 * * 2"],
    [5, "0 8 * * 6"],
    [6, "0 8 * * 0"],
    ["monday", "0 8 * * 1"],
    ["Mon", "0 8 * * 1"],
    ["sunday", "0 8 * * 0"],
    ["sat", "0 8 * * 6"],
    ["mon,wed,fri", "0 8 * * 1,3,5"],
  ])("stores day_of_week %j as the cron %s (0 = Monday in the older API)", async (day, cron) => {
    const name = `weekly_${String(day).replaceAll(",", "_").toLowerCase()}`;
    await seed(name, { cron: "0 8 * * 3" });
    const response = await legacy(name, { day_of_week: day });
    expect(response.statusCode, response.body).toBe(200);
    expect(bodyOf(response).schedule.cron).toBe(cron);
  });

  it("moves hour and minute in the cron and keeps its other fields", async () => {
    await seed("monday_report", { cron: "0 8 * * 1" });
    const body = bodyOf(await legacy("monday_report", { hour: 9, minute: 15 }));
    expect(body.schedule).toMatchObject({ cron: "15 9 * * 1", version: 2 });
    expect(body.changed).toBe(true);
  });

  it("keeps the seconds field of a six-field cron", async () => {
    await seed("with_seconds", { cron: "30 0 8 * * 1" });
    expect(bodyOf(await legacy("with_seconds", { minute: 5 })).schedule.cron).toBe("30 5 8 * * 1");
  });

  it("expands a macro before editing it", async () => {
    await seed("daily_macro", { cron: "@daily" });
    expect(bodyOf(await legacy("daily_macro", { hour: 6 })).schedule.cron).toBe("0 6 * * *");
  });

  it("gives an interval schedule the cron M H * * *", async () => {
    await seed("every_six_hours", { intervalSeconds: 21_600 });
    const { schedule } = bodyOf(await legacy("every_six_hours", { hour: 9, minute: 15 }));
    expect(schedule).toMatchObject({ cron: "15 9 * * *", intervalSeconds: null });
  });

  it("switches to an interval in seconds, and pauses with enabled", async () => {
    await seed("to_interval", { cron: "15 9 * * *" });
    const { schedule } = bodyOf(await legacy("to_interval", { interval: 3600, enabled: false }));
    expect(schedule).toMatchObject({ cron: null, intervalSeconds: 3600, enabled: false });
  });

  it("goes through the write path: history with source api, and 404 for an unknown name", async () => {
    const [row] = await t.database.sql<{ source: string; version: number }[]>`
      SELECT source, version FROM schedule_history WHERE schedule_name = 'monday_report' ORDER BY id DESC LIMIT 1`;
    expect(row).toEqual({ source: "api", version: 2 });
    expect((await legacy("ghost", { hour: 1 })).statusCode).toBe(404);
  });
});
