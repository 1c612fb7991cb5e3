import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
  const seeds = [
    { name: "bad_cron", task: "log", cron: "0 9 * * *" },
    { name: "bad_zone", task: "log", cron: "0 9 * * *", timezone: "Asia/Ho_Chi_Minh" },
    { name: "bad_start", task: "log", intervalSeconds: 60 },
    { name: "healthy", task: "log", cron: "0 8 * * 1" },
  ];
  for (const payload of seeds) {
    const response = await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload });
    expect(response.statusCode, response.body).toBe(201);
  }
  // What a hand-made UPDATE can leave behind, past the API's validation.
  await t.database.sql`UPDATE schedules SET cron = 'every morning' WHERE name = 'bad_cron'`;
  await t.database.sql`UPDATE schedules SET timezone = 'Mars/Olympus_Mons' WHERE name = 'bad_zone'`;
  await t.database.sql`UPDATE schedules SET start_at = '-infinity' WHERE name = 'bad_start'`;
});

const get = (url: string) => t.app.inject({ method: "GET", url });
const patch = (name: string, payload: object) =>
  t.app.inject({ method: "PATCH", url: `/api/v1/schedules/${name}`, payload });

describe("schedules broken by raw SQL", () => {
  it("lists every schedule with its health, the broken ones with the field at fault", async () => {
    const response = await get("/api/v1/schedules");
    expect(response.statusCode, response.body).toBe(200);
    const byName = Object.fromEntries(
      bodyOf<{ schedules: { name: string; health: { status: string; reason: string } }[] }>(
        response,
      ).schedules.map((s) => [s.name, s.health]),
    );
    expect(byName.healthy).toEqual({ status: "ok", reason: null, problems: [] });
    expect(byName.bad_cron).toMatchObject({ status: "invalid", reason: expect.stringMatching(/^cron: /) });
    expect(byName.bad_zone).toMatchObject({
      status: "invalid",
      reason: expect.stringMatching(/^timezone: /),
    });
    expect(byName.bad_start).toMatchObject({
      status: "invalid",
      reason: expect.stringMatching(/^startAt: /),
    });
  });

  it("filters the list to the schedules hotbeat cannot fire with ?health=invalid", async () => {
    const response = await get("/api/v1/schedules?health=invalid");
    expect(response.statusCode, response.body).toBe(200);
    const names = bodyOf<{ schedules: { name: string }[] }>(response).schedules.map((s) => s.name);
    expect(names).toEqual(["bad_cron", "bad_start", "bad_zone"]);
  });

  it("reads a row holding -infinity, showing the instant as null and its health", async () => {
    const response = await get("/api/v1/schedules/bad_start");
    expect(response.statusCode, response.body).toBe(200);
    expect(bodyOf(response)).toMatchObject({ startAt: null, health: { status: "invalid" } });
  });

  it("exports every schedule, the broken ones included", async () => {
    const response = await get("/api/v1/export");
    expect(response.statusCode, response.body).toBe(200);
    expect(bodyOf(response).schedules).toHaveLength(4);
  });

  it.each(["bad_cron", "bad_zone", "bad_start"])(
    "pauses %s with a PATCH that only disables it",
    async (name) => {
      const response = await patch(name, { enabled: false });
      expect(response.statusCode, response.body).toBe(200);
      expect(bodyOf(response).schedule).toMatchObject({ enabled: false, health: { status: "invalid" } });
      expect(bodyOf(response).warnings).toEqual([expect.stringMatching(/cannot fire until fixed/)]);
    },
  );

  it("leaves the broken value as it was when pausing", async () => {
    const [row] = await t.database.sql<
      { start_at: string; enabled: boolean }[]
    >`SELECT start_at::text, enabled FROM schedules WHERE name = 'bad_start'`;
    expect(row).toEqual({ start_at: "-infinity", enabled: false });
  });

  it("edits only the description of a broken schedule", async () => {
    const response = await patch("bad_zone", { description: "fix the zone" });
    expect(response.statusCode, response.body).toBe(200);
    expect(bodyOf(response).schedule.description).toBe("fix the zone");
  });

  it("refuses to resume a broken schedule, naming the field to fix", async () => {
    const response = await patch("bad_cron", { enabled: true });
    expect(response.statusCode, response.body).toBe(400);
    expect(bodyOf(response).error.details).toEqual([{ field: "cron", message: expect.any(String) }]);
  });

  it("repairs a broken schedule by setting the faulty field", async () => {
    const response = await patch("bad_start", { startAt: null, enabled: true });
    expect(response.statusCode, response.body).toBe(200);
    expect(bodyOf(response).schedule).toMatchObject({ enabled: true, health: { status: "ok" } });
  });

  it("deletes a broken schedule", async () => {
    const response = await t.app.inject({ method: "DELETE", url: "/api/v1/schedules/bad_cron" });
    expect(response.statusCode, response.body).toBe(200);
  });
});

describe("per-schedule run health", () => {
  it("shows the last fire, its outcome, its lateness and the failures since the last success", async () => {
    await t.database.sql`
      INSERT INTO runs (schedule_name, task, kind, scheduled_at, schedule_version, status, started_at)
      VALUES
        ('healthy', 'log', 'schedule', '2026-11-02T08:00:00Z', 1, 'succeeded', '2026-11-02T08:00:01Z'),
        ('healthy', 'log', 'schedule', '2026-11-09T08:00:00Z', 1, 'failed', '2026-11-09T08:00:02Z'),
        ('healthy', 'log', 'schedule', '2026-11-16T08:00:00Z', 1, 'failed', '2026-11-16T08:00:03.250Z'),
        ('healthy', 'log', 'manual', '2026-11-20T10:00:00Z', 1, 'succeeded', '2026-11-20T10:00:00Z')`;
    const response = await get("/api/v1/schedules/healthy");
    expect(response.statusCode, response.body).toBe(200);
    expect(bodyOf(response).runHealth).toEqual({
      lastFireAt: "2026-11-16T08:00:00.000Z",
      lastOutcome: "failed",
      lastLatenessMs: 3250,
      consecutiveFailures: 2,
    });
  });

  it("shows a schedule that never fired as such", async () => {
    const response = await get("/api/v1/schedules/bad_zone");
    expect(bodyOf(response).runHealth).toEqual({
      lastFireAt: null,
      lastOutcome: null,
      lastLatenessMs: null,
      consecutiveFailures: 0,
    });
  });
});

describe("labels and excluded dates broken by raw SQL", () => {
  const healthOf = async (name: string) => {
    const response = await get(`/api/v1/schedules/${name}`);
    expect(response.statusCode, response.body).toBe(200);
    return bodyOf<{ health: { status: string; reason: string; problems: unknown[] } }>(response).health;
  };
  const refusalOf = async (payload: object) => {
    const request = { name: "refused", task: "log", intervalSeconds: 60, ...payload };
    const response = await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload: request });
    expect(response.statusCode, response.body).toBe(400);
    return bodyOf<{ error: { details: unknown[] } }>(response).error.details;
  };

  it("lists them invalid with the field named, in the words a refused request gets", async () => {
    for (const name of ["odd_labels", "odd_exclude", "odd_calendar"]) {
      const payload = { name, task: "log", intervalSeconds: 60 };
      const response = await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload });
      expect(response.statusCode, response.body).toBe(201);
    }
    await t.database.sql`UPDATE schedules SET labels = '{"team": 5, "nested": {"a": "b"}}'
      WHERE name = 'odd_labels'`;
    await t.database.sql`UPDATE schedules SET exclude = '["not-a-date", 42, "2026-13-45"]'
      WHERE name = 'odd_exclude'`;
    await t.database.sql`UPDATE schedules SET calendars = '["no-such-calendar"]' WHERE name = 'odd_calendar'`;

    const labels = await healthOf("odd_labels");
    expect(labels).toMatchObject({
      status: "invalid",
      reason: "labels.team: a label value must be a string",
    });
    expect(labels.problems).toEqual(await refusalOf({ labels: { team: 5, nested: { a: "b" } } }));
    const exclude = await healthOf("odd_exclude");
    expect(exclude).toMatchObject({
      status: "invalid",
      reason: expect.stringMatching(/^exclude\.0: "not-a-date" must be a real date/),
    });
    expect(exclude.problems).toEqual(await refusalOf({ exclude: ["not-a-date", 42, "2026-13-45"] }));
    expect(await healthOf("odd_calendar")).toMatchObject({
      status: "invalid",
      reason: 'calendars.0: calendar "no-such-calendar" does not exist',
    });

    const listed = await get("/api/v1/schedules?health=invalid");
    expect(listed.statusCode, listed.body).toBe(200);
    const names = bodyOf<{ schedules: { name: string }[] }>(listed).schedules.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["odd_calendar", "odd_exclude", "odd_labels"]));
  });

  it("shows a row with such values, without the ones that are not strings", async () => {
    const response = await get("/api/v1/schedules/odd_exclude");
    expect(bodyOf(response)).toMatchObject({ exclude: ["not-a-date", "2026-13-45"], labels: {} });
    expect(bodyOf(await get("/api/v1/schedules/odd_labels")).labels).toEqual({});
  });
});
