import type { InjectOptions } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
let snapshot: () => Promise<unknown>;
beforeAll(async () => {
  t = await createTestApi();
  const seed = await t.app.inject({
    method: "POST",
    url: "/api/v1/schedules",
    payload: { name: "existing", task: "log", cron: "0 8 * * 1", timezone: "Asia/Ho_Chi_Minh" },
  });
  expect(seed.statusCode).toBe(201);
  snapshot = async () => ({
    schedules: await t.database.sql`SELECT * FROM schedules ORDER BY name`,
    history: await t.database.sql`SELECT id, schedule_name, version FROM schedule_history ORDER BY id`,
  });
});

const base = { name: "fresh_one", task: "log", cron: "0 9 * * *" };
const post = (payload: object) => ({ method: "POST" as const, url: "/api/v1/schedules", payload });
const patch = (payload: object, headers: Record<string, string> = {}) => ({
  method: "PATCH" as const,
  url: "/api/v1/schedules/existing",
  payload,
  headers,
});
const raw = (url: string, body: string, method: "POST" | "PATCH" = "POST") => ({
  method,
  url,
  payload: body,
  headers: { "content-type": "application/json" },
});

type Case = [label: string, request: InjectOptions, field: string];

const cases: Case[] = [
  ["a cron that does not parse", post({ ...base, cron: "every morning" }), "cron"],
  ["a cron of 4 fields", post({ ...base, cron: "0 9 * *" }), "cron"],
  ["a cron of 7 fields", post({ ...base, cron: "0 0 9 * * * 2026" }), "cron"],
  ["minute 60", post({ ...base, cron: "60 * * * *" }), "cron"],
  ["hour 24", post({ ...base, cron: "0 24 * * *" }), "cron"],
  ["day-of-week 8", post({ ...base, cron: "0 9 * * 8" }), "cron"],
  ["an unknown time zone", post({ ...base, timezone: "Mars/Olympus_Mons" }), "timezone"],
  ["a name that climbs directories", post({ ...base, name: "../etc" }), "name"],
  ["a name with capitals", post({ ...base, name: "Morning" }), "name"],
  ["a name with a space", post({ ...base, name: "morning report" }), "name"],
  ["an empty name", post({ ...base, name: "" }), "name"],
  ["a name of 101 characters", post({ ...base, name: "a".repeat(101) }), "name"],
  ["interval 0", post({ name: "fresh_one", task: "log", intervalSeconds: 0 }), "intervalSeconds"],
  ["interval -1", post({ name: "fresh_one", task: "log", intervalSeconds: -1 }), "intervalSeconds"],
  [
    "a fractional interval",
    post({ name: "fresh_one", task: "log", intervalSeconds: 1.5 }),
    "intervalSeconds",
  ],
  ["cron and interval together", post({ ...base, intervalSeconds: 60 }), "intervalSeconds"],
  ["no timing at all", post({ name: "fresh_one", task: "log" }), "cron"],
  ["a payload over 64 KiB", post({ ...base, payload: { blob: "x".repeat(65 * 1024) } }), "payload"],
  ["a payload that is an array", post({ ...base, payload: [1, 2] }), "payload"],
  [
    "a __proto__ key in the body",
    raw("/api/v1/schedules", '{"name":"fresh_one","task":"log","cron":"0 9 * * *","__proto__":{"x":1}}'),
    "__proto__",
  ],
  [
    "a __proto__ key in the payload",
    raw(
      "/api/v1/schedules",
      '{"name":"fresh_one","task":"log","cron":"0 9 * * *","payload":{"__proto__":{"admin":true}}}',
    ),
    "payload.__proto__",
  ],
  [
    "a constructor.prototype key in the payload",
    raw(
      "/api/v1/schedules",
      '{"name":"fresh_one","task":"log","cron":"0 9 * * *","payload":{"constructor":{"prototype":{"x":1}}}}',
    ),
    "payload.constructor.prototype",
  ],
  ["a constructor key in the payload", post({ ...base, payload: { constructor: 1 } }), "payload.constructor"],
  ["enabled as a string", post({ ...base, enabled: "yes" }), "enabled"],
  [
    "intervalSeconds as a string",
    post({ name: "fresh_one", task: "log", intervalSeconds: "60" }),
    "intervalSeconds",
  ],
  ["task as a number", post({ ...base, task: 42 }), "task"],
  ["a missing task", post({ name: "fresh_one", cron: "0 9 * * *" }), "task"],
  ["an unknown field", post({ ...base, colour: "blue" }), "colour"],
  ["a read-only field", post({ ...base, version: 7 }), "version"],
  [
    "startAt after endAt",
    post({ ...base, startAt: "2026-06-01T00:00:00Z", endAt: "2026-05-01T00:00:00Z" }),
    "endAt",
  ],
  [
    "startAt equal to endAt",
    post({ ...base, startAt: "2026-06-01T00:00:00Z", endAt: "2026-06-01T00:00:00Z" }),
    "endAt",
  ],
  ["a bad misfire policy", post({ ...base, misfirePolicy: "sometimes" }), "misfirePolicy"],
  ["a bad overlap policy", post({ ...base, overlapPolicy: "queue" }), "overlapPolicy"],
  ["runAt that is not an instant", post({ name: "fresh_one", task: "log", runAt: "tomorrow" }), "runAt"],
  [
    "runAt without an offset",
    post({ name: "fresh_one", task: "log", runAt: "2026-06-01T09:00:00" }),
    "runAt",
  ],
  ["negative jitter", post({ ...base, jitterSeconds: -5 }), "jitterSeconds"],
  ["a body that is not JSON", raw("/api/v1/schedules", '{"name": "fresh_one",'), "body"],
  ["a body that is an array", post([base]), "body"],
  ["a PATCH that renames", patch({ name: "renamed" }), "name"],
  ["a PATCH with a bad cron", patch({ cron: "* * *" }), "cron"],
  ["a PATCH with an unknown field", patch({ schedule: "daily" }), "schedule"],
  [
    "a PATCH with a __proto__ key",
    raw("/api/v1/schedules/existing", '{"__proto__":{"enabled":false}}', "PATCH"),
    "__proto__",
  ],
  ["a PATCH with a bad If-Match", patch({ enabled: false }, { "if-match": "version three" }), "If-Match"],
  ["a bad X-Hotbeat-Source", patch({ enabled: false }, { "x-hotbeat-source": "sql" }), "x-hotbeat-source"],
  ["a bad X-Hotbeat-Actor", patch({ enabled: false }, { "x-hotbeat-actor": "a b c" }), "x-hotbeat-actor"],
  [
    "an unknown query parameter",
    { method: "POST", url: "/api/v1/schedules?force=1", payload: base },
    "force",
  ],
  [
    "a ?wait other than applied",
    { method: "POST", url: "/api/v1/schedules?wait=forever", payload: base },
    "wait",
  ],
  [
    "a ?timeoutMs over the maximum",
    { method: "POST", url: "/api/v1/schedules?wait=applied&timeoutMs=60000", payload: base },
    "timeoutMs",
  ],
  [
    "an import that is not an array",
    { method: "POST", url: "/api/v1/import", payload: { schedules: "all" } },
    "schedules",
  ],
  [
    "an import item with a bad zone",
    {
      method: "POST",
      url: "/api/v1/import",
      payload: { schedules: [{ ...base, timezone: "Nowhere/Land" }] },
    },
    "schedules[0].timezone",
  ],
  ["a preview count of 0", { method: "GET", url: "/api/v1/schedules/existing/preview?count=0" }, "count"],
  ["a preview count of 101", { method: "GET", url: "/api/v1/schedules/existing/preview?count=101" }, "count"],
  [
    "a preview from that is not an instant",
    { method: "GET", url: "/api/v1/schedules/existing/preview?from=yesterday" },
    "from",
  ],
  [
    "an unsaved preview with a 4-field cron",
    { method: "POST", url: "/api/v1/preview", payload: { cron: "0 9 * *" } },
    "cron",
  ],
  ["a runs limit of 501", { method: "GET", url: "/api/v1/runs?limit=501" }, "limit"],
  ["a runs status that does not exist", { method: "GET", url: "/api/v1/runs?status=lost" }, "status"],
  ["a schedules filter enabled=maybe", { method: "GET", url: "/api/v1/schedules?enabled=maybe" }, "enabled"],
  [
    "the older API with hour 25",
    { method: "POST", url: "/update_schedule/existing", payload: { hour: 25 } },
    "hour",
  ],
  [
    "the older API with an unknown day",
    { method: "POST", url: "/update_schedule/existing", payload: { day_of_week: "funday" } },
    "day_of_week",
  ],
  [
    "the older API with day 7",
    { method: "POST", url: "/update_schedule/existing", payload: { day_of_week: 7 } },
    "day_of_week",
  ],
  [
    "the older API with an unknown field",
    { method: "POST", url: "/update_schedule/existing", payload: { second: 5 } },
    "second",
  ],
  [
    "the older API with interval and hour",
    { method: "POST", url: "/update_schedule/existing", payload: { interval: 60, hour: 9 } },
    "interval",
  ],
  ["a NUL in a body string", post({ ...base, description: "a\u0000b" }), "description"],
  ["a NUL in a payload value", post({ ...base, payload: { note: "a\u0000b" } }), "payload.note"],
  ["a NUL in a payload key", post({ ...base, payload: { "a\u0000b": 1 } }), "payload"],
  [
    "a NUL in a nested payload array",
    post({ ...base, payload: { list: ["ok", "\u0000"] } }),
    "payload.list[1]",
  ],
  [
    "a lone surrogate in a body string",
    raw(
      "/api/v1/schedules",
      '{"name":"fresh_one","task":"log","cron":"0 9 * * *","description":"a\\ud800b"}',
    ),
    "description",
  ],
  [
    "a lone surrogate in a payload key",
    raw("/api/v1/schedules", '{"name":"fresh_one","task":"log","cron":"0 9 * * *","payload":{"\\udc00":1}}'),
    "payload",
  ],
  [
    "a payload nested 5,000 deep",
    raw(
      "/api/v1/schedules",
      `{"name":"fresh_one","task":"log","cron":"0 9 * * *","payload":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`,
    ),
    "payload",
  ],
  ["a PATCH with a NUL in the description", patch({ description: "\u0000" }), "description"],
  [
    "a PATCH with a payload nested 5,000 deep",
    raw("/api/v1/schedules/existing", `{"payload":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`, "PATCH"),
    "payload",
  ],
  [
    "a PATCH of a name with a NUL",
    { method: "PATCH", url: "/api/v1/schedules/a%00b", payload: { enabled: false } },
    "name",
  ],
  ["a GET of a name with a NUL", { method: "GET", url: "/api/v1/schedules/a%00b" }, "name"],
  ["a DELETE of a name with a NUL", { method: "DELETE", url: "/api/v1/schedules/a%00b" }, "name"],
  ["a history of a name with a NUL", { method: "GET", url: "/api/v1/schedules/a%00b/history" }, "name"],
  ["a preview of a name with a NUL", { method: "GET", url: "/api/v1/schedules/a%00b/preview" }, "name"],
  ["a trigger of a name with a NUL", { method: "POST", url: "/api/v1/schedules/a%00b/trigger" }, "name"],
  [
    "a NUL in the note",
    { method: "PATCH", url: "/api/v1/schedules/existing?note=a%00b", payload: { enabled: false } },
    "note",
  ],
  ["a NUL in the note header", patch({ enabled: false }, { "x-hotbeat-note": "a\u0000b" }), "x-hotbeat-note"],
  ["a NUL in the task filter", { method: "GET", url: "/api/v1/schedules?task=a%00b" }, "task"],
  ["a NUL in the runs schedule filter", { method: "GET", url: "/api/v1/runs?schedule=a%00b" }, "schedule"],
  ["runAt in year 0", post({ name: "fresh_one", task: "log", runAt: "0000-06-01T09:00:00Z" }), "runAt"],
  ["runAt past 9999", post({ name: "fresh_one", task: "log", runAt: "9999-12-31T23:59:59-23:59" }), "runAt"],
  ["startAt past 9999 in a PATCH", patch({ startAt: "9999-12-31T23:59:59-23:59" }), "startAt"],
  ["endAt in year 0", post({ ...base, endAt: "0000-01-01T00:00:00Z" }), "endAt"],
  [
    "a preview from past 9999",
    { method: "GET", url: "/api/v1/schedules/existing/preview?from=9999-12-31T23:59:59-23:59" },
    "from",
  ],
  [
    "an unsaved preview with runAt past 9999",
    { method: "POST", url: "/api/v1/preview", payload: { runAt: "9999-12-31T23:59:59-23:59" } },
    "runAt",
  ],
  [
    "an unsaved preview with a NUL in the cron",
    { method: "POST", url: "/api/v1/preview", payload: { cron: "0 9 * * *\u0000" } },
    "cron",
  ],
  [
    "an import item with a NUL in the payload",
    {
      method: "POST",
      url: "/api/v1/import",
      payload: { schedules: [{ ...base, payload: { k: "\u0000" } }] },
    },
    "schedules[0].payload.k",
  ],
  [
    "an import item with runAt past 9999",
    {
      method: "POST",
      url: "/api/v1/import",
      payload: { schedules: [{ name: "fresh_one", task: "log", runAt: "9999-12-31T23:59:59-23:59" }] },
    },
    "schedules[0].runAt",
  ],
  [
    "the older API on a name with a NUL",
    { method: "POST", url: "/update_schedule/a%00b", payload: { hour: 3 } },
    "name",
  ],
  [
    "the older API with a NUL in the day",
    { method: "POST", url: "/update_schedule/existing", payload: { day_of_week: "mon\u0000" } },
    "day_of_week",
  ],
  [
    "an http payload with a Transfer-Encoding header",
    post({
      ...base,
      task: "http",
      payload: { url: "https://example.com", headers: { "Transfer-Encoding": "chunked" } },
    }),
    "payload.headers.Transfer-Encoding",
  ],
  [
    "an http payload with a header value holding a newline",
    post({ ...base, task: "http", payload: { url: "https://example.com", headers: { "X-A": "a\r\nb" } } }),
    "payload.headers.X-A",
  ],
];

describe("malformed requests", () => {
  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("refuses %s with 400 naming the field", async (_label, request, field) => {
    const before = await snapshot();
    const response = await t.app.inject(request);
    expect(response.statusCode, response.body).toBe(400);
    const { error } = bodyOf(response);
    expect(error.code).toBe("invalid");
    expect(
      error.details.map((d: { field: string }) => d.field),
      response.body,
    ).toContain(field);
    for (const detail of error.details) expect(detail.message).toEqual(expect.any(String));
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a body over the body limit with 413", async () => {
    const response = await t.app.inject(post({ ...base, payload: { blob: "x".repeat(300 * 1024) } }));
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response).error).toMatchObject({ code: "too_large", details: [{ field: "body" }] });
  });

  it("answers an unknown route with 404 in the error shape", async () => {
    const response = await t.app.inject({ url: "/api/v1/nothing" });
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response).error.code).toBe("not_found");
  });
});
