import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getSchedule, recordRuns, runJobId, runs } from "@hotbeat/shared";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi({ now: () => new Date("2027-03-01T00:00:00Z") });
  for (const payload of [
    { name: "hourly_sync", task: "log", cron: "0 * * * *", timezone: "UTC", exclude: ["2027-02-27"] },
    { name: "every_second", task: "log", cron: "* * * * * *", timezone: "UTC" },
  ]) {
    expect((await t.app.inject({ method: "POST", url: "/api/v1/schedules", payload })).statusCode).toBe(201);
  }
});

const backfill = (name: string, body: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: `/api/v1/schedules/${name}/backfill`, payload: body });
const runsOf = (name: string) => t.database.db.select().from(runs).where(eq(runs.scheduleName, name));

describe("backfill", () => {
  it("lists in a dry run every instant of [from, to], both ends included, excluded ones marked, and writes nothing", async () => {
    const response = await backfill("hourly_sync", {
      from: "2027-02-26T22:00:00Z",
      to: "2027-02-28T01:00:00Z",
      dryRun: true,
    });
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body).toMatchObject({
      dryRun: true,
      cap: 10_000,
      count: 28,
      created: 4,
      existing: 0,
      excluded: 24,
    });
    expect(body.instants[0]).toEqual({ at: "2027-02-26T22:00:00.000Z", outcome: "created" });
    expect(body.instants[2]).toEqual({
      at: "2027-02-27T00:00:00.000Z",
      outcome: "excluded",
      excluded: "2027-02-27",
    });
    expect(body.instants.at(-1)).toEqual({ at: "2027-02-28T01:00:00.000Z", outcome: "created" });
    expect(await runsOf("hourly_sync")).toHaveLength(0);
  });

  it("records, enqueues and marks a run for every instant that is not excluded", async () => {
    const body = bodyOf(
      await backfill("hourly_sync", { from: "2027-02-26T22:00:00Z", to: "2027-02-28T01:00:00Z" }),
    );
    expect(body).toMatchObject({ dryRun: false, count: 28, created: 4, existing: 0, excluded: 24 });
    const rows = await runsOf("hourly_sync");
    expect(rows.map((r) => r.scheduledAt.toISOString()).sort()).toEqual([
      "2027-02-26T22:00:00.000Z",
      "2027-02-26T23:00:00.000Z",
      "2027-02-28T00:00:00.000Z",
      "2027-02-28T01:00:00.000Z",
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ status: "queued", kind: "schedule" });
      expect(row.enqueuedAt).not.toBeNull();
      expect(await t.queue.getJob(runJobId(row.id))).toBeDefined();
    }
  });

  it("adds only what is new over an overlapping range, and says which instants existed", async () => {
    const body = bodyOf(
      await backfill("hourly_sync", { from: "2027-02-28T00:00:00Z", to: "2027-02-28T03:00:00Z" }),
    );
    expect(body).toMatchObject({ count: 4, created: 2, existing: 2, reopened: 0, excluded: 0 });
    expect(body.instants.map((i: { outcome: string }) => i.outcome)).toEqual([
      "existing",
      "existing",
      "created",
      "created",
    ]);
    expect(body.instants[0].status).toBe("queued");
    expect(await runsOf("hourly_sync")).toHaveLength(6);
  });

  it("runs an instant the misfire policy recorded as missed, once: the same row, queued again", async () => {
    const schedule = await getSchedule(t.database.db, "hourly_sync");
    const missedAt = new Date("2027-02-28T05:00:00Z");
    const [missed] = await recordRuns(t.database.db, [
      {
        schedule,
        scheduledAt: missedAt,
        status: "missed",
        reason: "missed: 3600 s late, misfire policy skip",
      },
    ]);
    const dry = bodyOf(
      await backfill("hourly_sync", {
        from: "2027-02-28T05:00:00Z",
        to: "2027-02-28T05:00:00Z",
        dryRun: true,
      }),
    );
    expect(dry.instants).toEqual([
      { at: "2027-02-28T05:00:00.000Z", outcome: "reopened", runId: missed!.run.id, status: "missed" },
    ]);
    const body = bodyOf(
      await backfill("hourly_sync", { from: "2027-02-28T04:00:00Z", to: "2027-02-28T05:00:00Z" }),
    );
    expect(body).toMatchObject({ created: 1, reopened: 1, existing: 0 });
    const [row] = await t.database.db
      .select()
      .from(runs)
      .where(and(eq(runs.scheduleName, "hourly_sync"), eq(runs.scheduledAt, missedAt)));
    expect(row).toMatchObject({ id: missed!.run.id, status: "queued", error: null });
    expect(await t.queue.getJob(runJobId(missed!.run.id))).toBeDefined();
    const again = bodyOf(
      await backfill("hourly_sync", { from: "2027-02-28T04:00:00Z", to: "2027-02-28T05:00:00Z" }),
    );
    expect(again).toMatchObject({ created: 0, reopened: 0, existing: 2 });
  });

  it("refuses a range of more than 10,000 instants, naming to, the count and the cap, and writes nothing", async () => {
    const response = await backfill("every_second", {
      from: "2027-02-28T00:00:00Z",
      to: "2027-02-28T03:00:00Z",
    });
    expect(response.statusCode).toBe(400);
    const { error } = bodyOf(response);
    expect(error.details[0].field).toBe("to");
    expect(error.message).toContain("10801 instants");
    expect(error.message).toContain("the cap of 10000");
    expect(await runsOf("every_second")).toHaveLength(0);
  });

  it("refuses a to after now or before from, naming to", async () => {
    for (const body of [
      { from: "2027-02-28T00:00:00Z", to: "2027-03-01T00:00:01Z" },
      { from: "2027-02-28T00:00:00Z", to: "2027-02-27T00:00:00Z" },
    ]) {
      const response = await backfill("hourly_sync", body);
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error.details[0].field).toBe("to");
    }
  });

  it("answers 404 for a schedule that does not exist and 400 for an unknown field", async () => {
    expect(
      (await backfill("nope", { from: "2027-02-28T00:00:00Z", to: "2027-02-28T01:00:00Z" })).statusCode,
    ).toBe(404);
    const response = await backfill("hourly_sync", {
      from: "2027-02-28T00:00:00Z",
      to: "2027-02-28T01:00:00Z",
      dry: true,
    });
    expect(response.statusCode).toBe(400);
  });
});
