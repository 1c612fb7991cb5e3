import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi({ now: () => new Date("2026-03-01T00:00:00Z") });
  for (const payload of [
    { name: "morning_intelligence_report", task: "log", cron: "15 9 * * *", timezone: "Asia/Ho_Chi_Minh" },
    { name: "new_york_230", task: "log", cron: "30 2 * * *", timezone: "America/New_York" },
    { name: "new_york_130", task: "log", cron: "30 1 * * *", timezone: "America/New_York" },
  ]) {
    expect((await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload })).statusCode).toBe(201);
  }
});

const instants = (body: Record<string, unknown>): string[] =>
  (body.fireTimes as Array<{ at: string }>).map((f) => f.at);

describe("preview of a saved schedule", () => {
  it("fires the 09:15 Ho Chi Minh report at 02:15Z, with local time and weekday", async () => {
    const response = await t.app.inject({
      url: "/api/v1/schedules/morning_intelligence_report/preview?count=3",
    });
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body.timezone).toBe("Asia/Ho_Chi_Minh");
    expect(body.from).toBe("2026-03-01T00:00:00.000Z");
    expect(body.fireTimes[0]).toEqual({
      at: "2026-03-01T02:15:00.000Z",
      local: "2026-03-01T09:15:00.000+07:00",
      weekday: "Sunday",
      dstShift: null,
    });
    expect(instants(body)).toEqual([
      "2026-03-01T02:15:00.000Z",
      "2026-03-02T02:15:00.000Z",
      "2026-03-03T02:15:00.000Z",
    ]);
  });

  it("lists instants strictly after ?from=, five unless ?count= says otherwise", async () => {
    const body = bodyOf(
      await t.app.inject({
        url: "/api/v1/schedules/morning_intelligence_report/preview?from=2026-03-02T02:15:00Z",
      }),
    );
    expect(instants(body)).toHaveLength(5);
    expect(instants(body)[0]).toBe("2026-03-03T02:15:00.000Z");
  });

  it("flags 02:30 on New York's spring-forward day as moved out of the gap, to 03:30 EDT", async () => {
    const body = bodyOf(
      await t.app.inject({ url: "/api/v1/schedules/new_york_230/preview?count=3&from=2026-03-07T12:00:00Z" }),
    );
    expect(body.fireTimes).toEqual([
      {
        at: "2026-03-08T07:30:00.000Z",
        local: "2026-03-08T03:30:00.000-04:00",
        weekday: "Sunday",
        dstShift: "gap",
      },
      {
        at: "2026-03-09T06:30:00.000Z",
        local: "2026-03-09T02:30:00.000-04:00",
        weekday: "Monday",
        dstShift: null,
      },
      {
        at: "2026-03-10T06:30:00.000Z",
        local: "2026-03-10T02:30:00.000-04:00",
        weekday: "Tuesday",
        dstShift: null,
      },
    ]);
  });

  it("fires 01:30 once on New York's fall-back day, at its first occurrence, flagged as an overlap", async () => {
    const body = bodyOf(
      await t.app.inject({ url: "/api/v1/schedules/new_york_130/preview?count=2&from=2026-10-31T12:00:00Z" }),
    );
    expect(body.fireTimes).toEqual([
      {
        at: "2026-11-01T05:30:00.000Z",
        local: "2026-11-01T01:30:00.000-04:00",
        weekday: "Sunday",
        dstShift: "overlap",
      },
      {
        at: "2026-11-02T06:30:00.000Z",
        local: "2026-11-02T01:30:00.000-05:00",
        weekday: "Monday",
        dstShift: null,
      },
    ]);
  });

  it("says the saved schedule in words beside its fire times", async () => {
    const body = bodyOf(await t.app.inject({ url: "/api/v1/schedules/morning_intelligence_report/preview" }));
    expect(body.summary).toBe("At 09:15 every day, Asia/Ho_Chi_Minh");
  });

  it("answers 404 for a schedule that does not exist", async () => {
    expect((await t.app.inject({ url: "/api/v1/schedules/nope/preview" })).statusCode).toBe(404);
  });
});

describe("preview of an unsaved definition", () => {
  it("fires Monday 08:00 in Ho Chi Minh at 01:00Z on Mondays", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/preview",
      payload: { cron: "0 8 * * 1", timezone: "Asia/Ho_Chi_Minh", count: 2, from: "2026-03-01T00:00:00Z" },
    });
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).fireTimes).toEqual([
      {
        at: "2026-03-02T01:00:00.000Z",
        local: "2026-03-02T08:00:00.000+07:00",
        weekday: "Monday",
        dstShift: null,
      },
      {
        at: "2026-03-09T01:00:00.000Z",
        local: "2026-03-09T08:00:00.000+07:00",
        weekday: "Monday",
        dstShift: null,
      },
    ]);
  });

  it("takes the editor's whole form, name and task included, and returns the save's warnings", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/preview",
      payload: {
        name: "",
        task: "",
        cron: "0 8 * * 0",
        timezone: "UTC",
        enabled: true,
        payload: {},
        count: 1,
      },
    });
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body.fireTimes[0].weekday).toBe("Sunday");
    expect(body.warnings.join(" ")).toMatch(/Sunday/);
  });

  it("counts an interval from its startAt", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/preview",
      payload: {
        intervalSeconds: 21_600,
        startAt: "2026-03-01T01:00:00+07:00",
        count: 3,
        from: "2026-03-01T00:00:00Z",
      },
    });
    // Anchored at 2026-02-28T18:00Z; 00:00Z is a fire too, but previews are strictly after `from`.
    expect(instants(bodyOf(response))).toEqual([
      "2026-03-01T06:00:00.000Z",
      "2026-03-01T12:00:00.000Z",
      "2026-03-01T18:00:00.000Z",
    ]);
  });

  it("says an unsaved definition in words, with an H hashed from the name it will be saved under", async () => {
    const definition = { cron: "H 9 * * *", timezone: "Europe/Berlin" };
    const saved = { name: "hashed_report", task: "log", ...definition };
    expect(
      (await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload: saved })).statusCode,
    ).toBe(201);
    const stored = bodyOf(await t.app.inject({ url: "/api/v1/schedules/hashed_report/preview" }));
    const unsaved = bodyOf(
      await t.app.inject({
        method: "POST",
        url: "/api/v1/preview",
        payload: { name: "hashed_report", ...definition },
      }),
    );
    expect(unsaved.summary).toMatch(/^At 09:\d\d every day, Europe\/Berlin$/);
    expect(unsaved.summary).toBe(stored.summary);
    expect(unsaved.fireTimes).toEqual(stored.fireTimes);
  });
});
