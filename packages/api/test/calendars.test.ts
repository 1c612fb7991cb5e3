import { parseScheduleUpdate, SCHEDULE_UPDATES_CHANNEL, type ScheduleUpdateMessage } from "@hotbeat/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestRedis } from "../../../test/helpers.js";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
});

const holidays = {
  name: "vn-public-holidays",
  description: "Public holidays in Vietnam",
  dates: ["2027-01-01", "2027-04-30/2027-05-01", "2027-09-02"],
};

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "POST", url, payload: payload as Record<string, unknown>, headers });
const patch = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "PATCH", url, payload: payload as Record<string, unknown>, headers });

describe("calendars through the API", () => {
  it("creates a calendar with 201, its ETag and Location, and refuses the same name again with 409", async () => {
    const response = await post("/api/v1/calendars", holidays);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe("/api/v1/calendars/vn-public-holidays");
    expect(bodyOf(response)).toMatchObject({
      calendar: { ...holidays, version: 1, updatedBy: "api", usedBy: 0 },
      changed: true,
      schedules: [],
    });
    const again = await post("/api/v1/calendars", { name: holidays.name });
    expect(again.statusCode).toBe(409);
    expect(bodyOf(again).error).toMatchObject({ code: "conflict", details: [{ field: "name" }] });
  });

  it("refuses a date that does not exist, naming the entry", async () => {
    const response = await post("/api/v1/calendars", {
      name: "typo",
      dates: ["2027-01-01", "2027-01-02", "2027-01-03", "2027-13-01"],
    });
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.details).toEqual([
      {
        field: "dates.3",
        message: '"2027-13-01" must be a real date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD',
      },
    ]);
  });

  it("lists calendars and reads one with its version as ETag, 304 to a matching If-None-Match", async () => {
    const list = bodyOf(await t.app.inject({ url: "/api/v1/calendars" }));
    expect(list.calendars.map((c: { name: string }) => c.name)).toEqual(["vn-public-holidays"]);
    const one = await t.app.inject({ url: "/api/v1/calendars/vn-public-holidays" });
    expect(one.statusCode).toBe(200);
    expect(one.headers.etag).toBe('"1"');
    expect(bodyOf(one)).toMatchObject(holidays);
    const cached = await t.app.inject({
      url: "/api/v1/calendars/vn-public-holidays",
      headers: { "if-none-match": '"1"' },
    });
    expect(cached.statusCode).toBe(304);
    const missing = await t.app.inject({ url: "/api/v1/calendars/nope" });
    expect(missing.statusCode).toBe(404);
    expect(bodyOf(missing).error.message).toBe('calendar "nope" does not exist');
  });

  it("refuses a schedule naming a calendar that does not exist with 400 naming calendars.N", async () => {
    const response = await post("/api/v1/schedules", {
      name: "payroll",
      task: "log",
      cron: "0 18 * * *",
      calendars: [holidays.name, "vn-bank-holidays"],
    });
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatchObject({
      code: "invalid",
      message: 'calendars.1: calendar "vn-bank-holidays" does not exist',
      details: [{ field: "calendars.1", message: 'calendar "vn-bank-holidays" does not exist' }],
    });
  });

  it("edits a calendar: every schedule naming it gets a new version, listed and published at once", async () => {
    for (const name of ["payroll", "invoices"]) {
      const created = await post("/api/v1/schedules", {
        name,
        task: "log",
        cron: "0 18 * * *",
        calendars: [holidays.name],
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const subscriber = createTestRedis();
    const messages: ScheduleUpdateMessage[] = [];
    await subscriber.subscribe(SCHEDULE_UPDATES_CHANNEL);
    const bothSeen = new Promise<void>((resolve) => {
      subscriber.on("message", (_channel, raw) => {
        const message = parseScheduleUpdate(raw);
        if (message && ["payroll", "invoices"].includes(message.name)) messages.push(message);
        if (messages.length === 2) resolve();
      });
    });
    const stale = await patch(`/api/v1/calendars/${holidays.name}`, { dates: [] }, { "if-match": '"7"' });
    expect(stale.statusCode).toBe(412);
    const response = await patch(
      `/api/v1/calendars/${holidays.name}`,
      { dates: [...holidays.dates, "2027-02-05/2027-02-09"] },
      { "if-match": '"1"', "x-hotbeat-note": "Tet" },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(bodyOf(response)).toMatchObject({
      changed: true,
      calendar: { version: 2, usedBy: 2 },
      schedules: [
        { name: "invoices", version: 2 },
        { name: "payroll", version: 2 },
      ],
    });
    await bothSeen;
    expect(messages.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "invoices", version: 2, op: "upsert" },
      { name: "payroll", version: 2, op: "upsert" },
    ]);
    const history = bodyOf(await t.app.inject({ url: "/api/v1/schedules/payroll/history" })).history;
    expect(history[0]).toMatchObject({ version: 2, note: `calendar ${holidays.name} changed` });
  });

  it("refuses to delete a calendar while schedules name it, listing them, and deletes it once none does", async () => {
    const refused = await t.app.inject({ method: "DELETE", url: `/api/v1/calendars/${holidays.name}` });
    expect(refused.statusCode).toBe(409);
    expect(bodyOf(refused).error.message).toBe(
      `calendar "${holidays.name}" is named by 2 schedules (invoices, payroll); remove it from them first`,
    );
    for (const name of ["payroll", "invoices"])
      expect((await patch(`/api/v1/schedules/${name}`, { calendars: [] })).statusCode).toBe(200);
    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/calendars/${holidays.name}`,
      headers: { "if-match": '"2"' },
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(bodyOf(deleted)).toEqual({ deleted: { name: holidays.name, version: 3 } });
  });

  it("keeps a deleted calendar's history, newest first, with who changed it and through what", async () => {
    const response = await t.app.inject({ url: `/api/v1/calendars/${holidays.name}/history` });
    expect(response.statusCode).toBe(200);
    const history = bodyOf(response).history;
    expect(
      history.map((h: { op: string; version: number; source: string; note: string | null }) => [
        h.op,
        h.version,
        h.source,
        h.note,
      ]),
    ).toEqual([
      ["delete", 3, "api", null],
      ["update", 2, "api", "Tet"],
      ["insert", 1, "api", null],
    ]);
    expect(history[1].newValue.dates).toContain("2027-02-05/2027-02-09");
    expect((await t.app.inject({ url: "/api/v1/calendars/never/history" })).statusCode).toBe(404);
  });
});

describe("a schedule naming a calendar that is gone", () => {
  beforeAll(async () => {
    // Raw SQL can do what the API refuses: name a calendar that does not exist.
    await t.database.sql`INSERT INTO schedules (name, task, cron, calendars)
      VALUES ('orphaned', 'log', '0 9 * * *', '["vn-public-holidays"]')`;
  });

  it("shows health invalid with the reason, in the list, the ?health=invalid filter and the read", async () => {
    const reason = 'calendars.0: calendar "vn-public-holidays" does not exist';
    const one = bodyOf(await t.app.inject({ url: "/api/v1/schedules/orphaned" }));
    expect(one.health).toMatchObject({ status: "invalid", reason });
    const invalid = bodyOf(await t.app.inject({ url: "/api/v1/schedules?health=invalid" })).schedules;
    expect(invalid.map((s: { name: string }) => s.name)).toEqual(["orphaned"]);
    const exported = bodyOf(await t.app.inject({ url: "/api/v1/export" })).schedules;
    expect(exported.find((s: { name: string }) => s.name === "orphaned").health.reason).toBe(reason);
  });

  it("stays pausable and editable, refuses to resume until fixed, and can be deleted", async () => {
    const paused = await patch("/api/v1/schedules/orphaned", {
      enabled: false,
      description: "holidays gone",
    });
    expect(paused.statusCode, paused.body).toBe(200);
    expect(bodyOf(paused).schedule.health.status).toBe("invalid");
    const resumed = await patch("/api/v1/schedules/orphaned", { enabled: true });
    expect(resumed.statusCode).toBe(400);
    expect(bodyOf(resumed).error.details).toEqual([
      { field: "calendars.0", message: 'calendar "vn-public-holidays" does not exist' },
    ]);
    const deleted = await t.app.inject({ method: "DELETE", url: "/api/v1/schedules/orphaned" });
    expect(deleted.statusCode).toBe(200);
  });

  it("becomes valid again when the calendar is created, which publishes its new version", async () => {
    await t.database.sql`INSERT INTO schedules (name, task, cron, calendars)
      VALUES ('waiting', 'log', '0 9 * * *', '["vn-public-holidays"]')`;
    const created = await post("/api/v1/calendars", { name: "vn-public-holidays" });
    expect(bodyOf(created).schedules).toEqual([{ name: "waiting", version: 2 }]);
    const one = bodyOf(await t.app.inject({ url: "/api/v1/schedules/waiting" }));
    expect(one.health.status).toBe("ok");
  });
});

describe("the calendars routes in the house rules", () => {
  it("documents every calendar route and the Calendar shape in the OpenAPI document", async () => {
    const doc = bodyOf(await t.app.inject({ url: "/docs/json" }));
    expect(Object.keys(doc.paths["/api/v1/calendars"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/calendars/{name}"]).sort()).toEqual(["delete", "get", "patch"]);
    expect(doc.paths["/api/v1/calendars/{name}/history"].get).toBeDefined();
    expect(doc.components.schemas.Calendar.properties.dates).toBeDefined();
  });

  it("needs the token when one is set, and limits writes like the other routes", async () => {
    const guarded = await createTestApi({ apiToken: "s3cret", rateLimit: { max: 1, timeWindowMs: 60_000 } });
    const auth = { authorization: "Bearer s3cret" };
    expect((await guarded.app.inject({ url: "/api/v1/calendars" })).statusCode).toBe(401);
    const first = await guarded.app.inject({
      method: "POST",
      url: "/api/v1/calendars",
      payload: { name: "a" },
      headers: auth,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(bodyOf(first).calendar.updatedBy).toBe("token");
    const second = await guarded.app.inject({
      method: "POST",
      url: "/api/v1/calendars",
      payload: { name: "b" },
      headers: auth,
    });
    expect(second.statusCode).toBe(429);
  });

  it("refuses a NUL in a calendar's description before it reaches the database", async () => {
    const response = await post("/api/v1/calendars", { name: "nul", description: "a\u0000b" });
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.details[0].field).toBe("description");
  });
});
