import { SCHEDULE_UPDATES_CHANNEL } from "@hotbeat/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestRedis } from "../../../test/helpers.js";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
});

const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url: "/api/v1/schedules", payload: body, headers });

describe("schedules CRUD", () => {
  it("creates a schedule with 201, its ETag and the envelope { schedule, warnings, changed }", async () => {
    const response = await create({
      name: "morning_report",
      task: "reports.morning",
      cron: "15 9 * * *",
      timezone: "Asia/Ho_Chi_Minh",
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe("/api/v1/schedules/morning_report");
    const body = bodyOf(response);
    expect(body.schedule).toMatchObject({
      name: "morning_report",
      cron: "15 9 * * *",
      version: 1,
      enabled: true,
      misfirePolicy: "run_once",
      updatedBy: "api",
    });
    expect(body.warnings).toEqual([]);
    expect(body.changed).toBe(true);
    expect(body.applied).toBeUndefined();
  });

  it("returns warnings beside a save, such as day-of-week 0 being Sunday", async () => {
    const body = bodyOf(await create({ name: "sunday_job", task: "log", cron: "0 8 * * 0" }));
    expect(body.warnings.join(" ")).toMatch(/Sunday/);
  });

  it("refuses a second schedule with the same name with 409", async () => {
    const response = await create({ name: "morning_report", task: "log", cron: "0 * * * *" });
    expect(response.statusCode).toBe(409);
    expect(bodyOf(response).error).toMatchObject({ code: "conflict", details: [{ field: "name" }] });
  });

  it("lists schedules filtered by enabled and task", async () => {
    await create({ name: "paused_one", task: "cleanup", intervalSeconds: 3600, enabled: false });
    const all = bodyOf(await t.app.inject({ url: "/api/v1/schedules" })).schedules.map(
      (s: { name: string }) => s.name,
    );
    expect(all).toEqual(expect.arrayContaining(["morning_report", "paused_one", "sunday_job"]));
    const paused = bodyOf(await t.app.inject({ url: "/api/v1/schedules?enabled=false" })).schedules;
    expect(paused.map((s: { name: string }) => s.name)).toEqual(["paused_one"]);
    const byTask = bodyOf(await t.app.inject({ url: "/api/v1/schedules?task=reports.morning" })).schedules;
    expect(byTask.map((s: { name: string }) => s.name)).toEqual(["morning_report"]);
  });

  it("gets one schedule with its version as ETag and answers 304 to a matching If-None-Match", async () => {
    const response = await t.app.inject({ url: "/api/v1/schedules/morning_report" });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    const again = await t.app.inject({
      url: "/api/v1/schedules/morning_report",
      headers: { "if-none-match": '"1"' },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    const stale = await t.app.inject({
      url: "/api/v1/schedules/morning_report",
      headers: { "if-none-match": '"0"' },
    });
    expect(stale.statusCode).toBe(200);
  });

  it("says the schedule in words on one schedule and on every write's answer", async () => {
    const created = bodyOf(
      await create({ name: "words_report", task: "log", cron: "15 9 * * *", timezone: "Asia/Ho_Chi_Minh" }),
    );
    expect(created.schedule.summary).toBe("At 09:15 every day, Asia/Ho_Chi_Minh");
    const patched = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/words_report",
      payload: { intervalSeconds: 21_600 },
    });
    expect(bodyOf(patched).schedule.summary).toBe("Every 6 hours");
    const one = bodyOf(await t.app.inject({ url: "/api/v1/schedules/words_report" }));
    expect(one.summary).toBe("Every 6 hours");
  });

  it("answers 404 with the error shape for a schedule that does not exist", async () => {
    const response = await t.app.inject({ url: "/api/v1/schedules/nope" });
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response).error.code).toBe("not_found");
  });

  it("patches with If-Match in both forms, and refuses a stale one with 412 version_conflict", async () => {
    const first = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/morning_report",
      payload: { cron: "30 9 * * *" },
      headers: { "if-match": '"1"' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const second = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/morning_report",
      payload: { description: "daily" },
      headers: { "if-match": "2" },
    });
    expect(bodyOf(second).schedule.version).toBe(3);
    const stale = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/morning_report",
      payload: { cron: "0 7 * * *" },
      headers: { "if-match": '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(bodyOf(stale).error.code).toBe("version_conflict");
    expect(bodyOf(await t.app.inject({ url: "/api/v1/schedules/morning_report" })).cron).toBe("30 9 * * *");
  });

  it("lets exactly one of two concurrent PATCHes with the same If-Match win", async () => {
    await create({ name: "race", task: "log", cron: "0 1 * * *" });
    const patch = (cron: string) =>
      t.app.inject({
        method: "PATCH",
        url: "/api/v1/schedules/race",
        payload: { cron },
        headers: { "if-match": '"1"' },
      });
    const statuses = (await Promise.all([patch("0 2 * * *"), patch("0 3 * * *")]))
      .map((r) => r.statusCode)
      .sort();
    expect(statuses).toEqual([200, 412]);
    expect(bodyOf(await t.app.inject({ url: "/api/v1/schedules/race" })).version).toBe(2);
  });

  it("records actor, source and note from headers and ?note= in history", async () => {
    const response = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/race?note=paused%20for%20the%20migration",
      payload: { enabled: false },
      headers: { "x-hotbeat-actor": "alice", "x-hotbeat-source": "ui" },
    });
    expect(response.statusCode).toBe(200);
    const history = bodyOf(await t.app.inject({ url: "/api/v1/schedules/race/history" })).history;
    expect(history[0]).toMatchObject({
      op: "update",
      version: 3,
      actor: "alice",
      source: "ui",
      note: "paused for the migration",
    });
    expect(history[0].oldValue.enabled).toBe(true);
    expect(history[0].newValue.enabled).toBe(false);
    expect(history.at(-1)).toMatchObject({ op: "insert", version: 1, source: "api", actor: "api" });
  });

  it("answers a PATCH that changes nothing with changed: false and the same version", async () => {
    const response = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/schedules/race",
      payload: { enabled: false },
    });
    expect(bodyOf(response)).toMatchObject({ changed: false, schedule: { version: 3 } });
  });

  it("deletes with If-Match, keeps the history, and answers 404 afterwards", async () => {
    await create({ name: "doomed", task: "log", cron: "0 4 * * *" });
    const stale = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/schedules/doomed",
      headers: { "if-match": '"7"' },
    });
    expect(stale.statusCode).toBe(412);
    const response = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/schedules/doomed",
      headers: { "if-match": '"1"' },
    });
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ deleted: { name: "doomed", version: 2 } });
    expect((await t.app.inject({ url: "/api/v1/schedules/doomed" })).statusCode).toBe(404);
    const history = bodyOf(await t.app.inject({ url: "/api/v1/schedules/doomed/history" })).history;
    expect(history.map((h: { op: string }) => h.op)).toEqual(["delete", "insert"]);
    expect((await t.app.inject({ url: "/api/v1/schedules/never_was/history" })).statusCode).toBe(404);
  });
});

describe("the schedule_updates message", () => {
  it("arrives after commit: a subscriber reading the database on receipt already sees the new version", async () => {
    const subscriber = createTestRedis();
    await subscriber.subscribe(SCHEDULE_UPDATES_CHANNEL);
    await create({ name: "watched", task: "log", cron: "0 5 * * *" });
    const seen = new Promise<{ message: { name: string; version: number; op: string }; dbVersion: number }>(
      (resolve) => {
        subscriber.on("message", (_channel: string, raw: string) => {
          const message = JSON.parse(raw) as { name: string; version: number; op: string };
          if (message.name !== "watched" || message.version !== 2) return;
          void t.database.sql<
            { version: number }[]
          >`SELECT version FROM schedules WHERE name = 'watched'`.then(([row]) =>
            resolve({ message, dbVersion: row!.version }),
          );
        });
      },
    );
    await t.app.inject({ method: "PATCH", url: "/api/v1/schedules/watched", payload: { cron: "0 6 * * *" } });
    const { message, dbVersion } = await seen;
    expect(message).toMatchObject({ name: "watched", version: 2, op: "upsert", namespace: t.namespace });
    // The row as committed, which the schedulers of this namespace apply without reading it back.
    expect(message).toMatchObject({ row: { name: "watched", version: 2, cron: "0 6 * * *" } });
    expect(dbVersion).toBe(2);
  });
});

describe("export and import", () => {
  it("exports every schedule with exportedAt, in a form import takes back unchanged", async () => {
    const exported = bodyOf(await t.app.inject({ url: "/api/v1/export" }));
    expect(exported.exportedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(exported.schedules.length).toBeGreaterThan(3);
    // No summary: import would refuse a field it does not take.
    expect(exported.schedules.some((schedule: object) => "summary" in schedule)).toBe(false);
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/import",
      payload: { schedules: exported.schedules },
    });
    expect(response.statusCode).toBe(200);
    expect(new Set(bodyOf(response).results.map((r: { action: string }) => r.action))).toEqual(
      new Set(["unchanged"]),
    );
  });

  it("shows create, update and unchanged in a dry run and writes nothing", async () => {
    const before = await t.database.sql`SELECT name, version FROM schedules ORDER BY name`;
    const historyBefore = await t.database.sql`SELECT count(*)::int AS n FROM schedule_history`;
    const items = [
      { name: "imported_new", task: "log", cron: "0 0 * * *" },
      { name: "watched", task: "log", cron: "0 7 * * *" },
      { name: "sunday_job", task: "log", cron: "0 8 * * 0" },
    ];
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/import?dryRun=true",
      payload: { schedules: items },
    });
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body.dryRun).toBe(true);
    expect(body.results.map((r: { name: string; action: string }) => [r.name, r.action])).toEqual([
      ["imported_new", "create"],
      ["watched", "update"],
      ["sunday_job", "unchanged"],
    ]);
    expect(await t.database.sql`SELECT name, version FROM schedules ORDER BY name`).toEqual(before);
    expect(await t.database.sql`SELECT count(*)::int AS n FROM schedule_history`).toEqual(historyBefore);
  });

  it("writes nothing when one item is bad, naming schedules[i].field", async () => {
    const before = await t.database.sql`SELECT name, version FROM schedules ORDER BY name`;
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/import",
      payload: {
        schedules: [
          { name: "fine_one", task: "log", cron: "0 0 * * *" },
          { name: "bad_one", task: "log", cron: "61 * * * *" },
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.details[0].field).toBe("schedules[1].cron");
    expect(await t.database.sql`SELECT name, version FROM schedules ORDER BY name`).toEqual(before);
  });

  it("imports atomically with source import", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/import",
      payload: {
        schedules: [
          { name: "imported_new", task: "log", cron: "0 0 * * *" },
          { name: "watched", task: "log", cron: "0 7 * * *" },
        ],
      },
    });
    expect(
      bodyOf(response).results.map((r: { action: string; version: number }) => [r.action, r.version]),
    ).toEqual([
      ["create", 1],
      ["update", 3],
    ]);
    const [row] = await t.database.sql<
      { source: string }[]
    >`SELECT source FROM schedule_history WHERE schedule_name = 'imported_new'`;
    expect(row!.source).toBe("import");
  });
});
