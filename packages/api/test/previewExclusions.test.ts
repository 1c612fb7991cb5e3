import { beforeAll, describe, expect, it } from "vitest";
import { calendars } from "@hotbeat/shared";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi({ now: () => new Date("2027-08-31T00:00:00Z") });
  await t.database.db
    .insert(calendars)
    .values({ name: "vn-public-holidays", dates: ["2027-09-02", "2027-09-03"] });
});

type FireTime = { at: string; local: string; weekday: string; excluded?: string };

describe("exclusions in the preview", () => {
  it("keeps Thu 2027-09-02 in an unsaved definition's preview, marked with its calendar, and gives count that fire", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/preview",
      payload: {
        cron: "0 9 * * *",
        timezone: "Asia/Ho_Chi_Minh",
        exclude: ["2027-09-01"],
        calendars: ["vn-public-holidays"],
        count: 2,
      },
    });
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(
      (body.fireTimes as FireTime[]).map((f) => [f.local.slice(0, 10), f.weekday, f.excluded ?? "fires"]),
    ).toEqual([
      ["2027-08-31", "Tuesday", "fires"],
      ["2027-09-01", "Wednesday", "2027-09-01"],
      ["2027-09-02", "Thursday", "calendar vn-public-holidays"],
      ["2027-09-03", "Friday", "calendar vn-public-holidays"],
      ["2027-09-04", "Saturday", "fires"],
    ]);
    expect(body.unlistedPassedOver).toBe(false);
  });

  it("reads an excluded date in the schedule's zone: 23:00 in New York on the 1st is excluded, though it is the 2nd in UTC", async () => {
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: "/api/v1/schedules",
          payload: {
            name: "new_york_evening",
            task: "log",
            cron: "0 23 * * *",
            timezone: "America/New_York",
            exclude: ["2027-09-01"],
          },
        })
      ).statusCode,
    ).toBe(201);
    const body = bodyOf(
      await t.app.inject({
        url: "/api/v1/schedules/new_york_evening/preview?count=2&from=2027-08-31T12:00:00Z",
      }),
    );
    expect((body.fireTimes as FireTime[]).map((f) => [f.at, f.excluded ?? null])).toEqual([
      ["2027-09-01T03:00:00.000Z", null],
      ["2027-09-02T03:00:00.000Z", "2027-09-01"],
      ["2027-09-03T03:00:00.000Z", null],
    ]);
  });

  it("warns that a named calendar does not exist, since it excludes nothing", async () => {
    const body = bodyOf(
      await t.app.inject({
        method: "POST",
        url: "/api/v1/preview",
        payload: { cron: "0 9 * * *", calendars: ["not-yet-made"], count: 1 },
      }),
    );
    expect(body.warnings).toContain('calendar "not-yet-made" does not exist, so it excludes nothing');
  });
});

describe("the OpenAPI document", () => {
  it("describes skip, its undo and backfill, and the preview's excluded and skipped marks", async () => {
    const doc = bodyOf(await t.app.inject({ url: "/docs/json" }));
    expect(doc.paths["/api/v1/schedules/{name}/skip"]?.post).toBeDefined();
    expect(doc.paths["/api/v1/schedules/{name}/skip/{at}"]?.delete).toBeDefined();
    expect(doc.paths["/api/v1/schedules/{name}/backfill"]?.post).toBeDefined();
    const fireTime = doc.components.schemas.Preview.properties.fireTimes.items.properties;
    expect(Object.keys(fireTime)).toEqual(expect.arrayContaining(["excluded", "skipped"]));
  });
});
