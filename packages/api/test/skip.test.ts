import { beforeAll, describe, expect, it } from "vitest";
import { calendars, markEnqueued, recordRuns, getSchedule } from "@hotbeat/shared";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi({ now: () => new Date("2027-03-01T00:00:00Z") });
  await t.database.db.insert(calendars).values({ name: "company-days", dates: ["2027-03-05"] });
  const payload = {
    name: "daily_report",
    task: "log",
    cron: "0 9 * * *",
    timezone: "UTC",
    calendars: ["company-days"],
  };
  expect((await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload })).statusCode).toBe(201);
});

const skip = (body?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/schedules/daily_report/skip",
    headers,
    ...(body ? { payload: body } : {}),
  });

describe("skipping one occurrence", () => {
  it("skips the next fire instant when no instant is given, recorded as a skipped run by its actor", async () => {
    const response = await skip(undefined, { "x-hotbeat-actor": "alice" });
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toMatchObject({
      skipped: { schedule: "daily_report", at: "2027-03-01T09:00:00.000Z", reason: "skipped by alice" },
      run: {
        status: "skipped",
        kind: "schedule",
        scheduledAt: "2027-03-01T09:00:00.000Z",
        error: "skipped by alice",
      },
    });
  });

  it("skips the instant after that on a second call, since the next one is skipped already", async () => {
    const response = await skip({});
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response).skipped).toMatchObject({
      at: "2027-03-02T09:00:00.000Z",
      reason: "skipped by api",
    });
  });

  it("answers 200 with the same run when the instant asked for is skipped already", async () => {
    const response = await skip({ at: "2027-03-01T09:00:00Z" });
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).skipped.reason).toBe("skipped by alice");
  });

  it("refuses, naming at, an instant that has passed, one the schedule never fires at, and an excluded one", async () => {
    for (const [at, text] of [
      ["2027-02-28T09:00:00Z", "has passed"],
      [
        "2027-03-03T09:30:00Z",
        "is not a fire instant of this schedule; the next one after it is 2027-03-04T09:00:00.000Z",
      ],
      ["2027-03-05T09:00:00Z", "excluded by calendar company-days (2027-03-05)"],
    ]) {
      const response = await skip({ at });
      expect(response.statusCode).toBe(400);
      const { error } = bodyOf(response);
      expect(error.details[0].field).toBe("at");
      expect(error.message).toContain(text);
    }
  });

  it("refuses an instant already recorded otherwise with 409", async () => {
    const schedule = await getSchedule(t.database.db, "daily_report");
    const [recorded] = await recordRuns(t.database.db, [
      { schedule, scheduledAt: new Date("2027-03-06T09:00:00Z"), status: "queued" },
    ]);
    // Enqueued already: unlike a run the leader recorded ahead and has not enqueued, it stays.
    await markEnqueued(t.database.db, recorded!.run.id);
    const response = await skip({ at: "2027-03-06T09:00:00Z" });
    expect(response.statusCode).toBe(409);
    expect(bodyOf(response).error.details[0].field).toBe("at");
  });

  it("shows the skipped and the excluded instants in the preview, marked, and still gives count that fire", async () => {
    const body = bodyOf(await t.app.inject({ url: "/api/v1/schedules/daily_report/preview?count=3" }));
    expect(
      body.fireTimes.map((f: { at: string; skipped?: string; excluded?: string }) => [
        f.at.slice(0, 10),
        f.skipped ?? f.excluded ?? "fires",
      ]),
    ).toEqual([
      ["2027-03-01", "skipped by alice"],
      ["2027-03-02", "skipped by api"],
      ["2027-03-03", "fires"],
      ["2027-03-04", "fires"],
      ["2027-03-05", "calendar company-days"],
      ["2027-03-06", "fires"],
    ]);
  });

  it("undoes a skip before its instant, after which the instant is in the preview as a fire again", async () => {
    const response = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/schedules/daily_report/skip/2027-03-02T09:00:00.000Z",
    });
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({
      unskipped: { schedule: "daily_report", at: "2027-03-02T09:00:00.000Z" },
    });
    const body = bodyOf(await t.app.inject({ url: "/api/v1/schedules/daily_report/preview?count=1" }));
    expect(body.fireTimes.map((f: Record<string, string>) => f.at)).toEqual([
      "2027-03-01T09:00:00.000Z",
      "2027-03-02T09:00:00.000Z",
    ]);
  });

  it("answers 404 for an undo of an instant that was not skipped, and 409 once the instant has passed", async () => {
    const notSkipped = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/schedules/daily_report/skip/2027-03-02T09:00:00Z",
    });
    expect(notSkipped.statusCode).toBe(404);
    const passed = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/schedules/daily_report/skip/2027-02-28T09:00:00Z",
    });
    expect(passed.statusCode).toBe(409);
    expect(bodyOf(passed).error.details[0].field).toBe("at");
  });

  it("answers 404 for a schedule that does not exist, and 400 for an at that is not an instant", async () => {
    const missing = await t.app.inject({ method: "POST", url: "/api/v1/schedules/nope/skip", payload: {} });
    expect(missing.statusCode).toBe(404);
    const bad = await skip({ at: "tomorrow" });
    expect(bad.statusCode).toBe(400);
    expect(bodyOf(bad).error.details[0].field).toContain("at");
  });
});
