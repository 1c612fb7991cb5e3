import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

// The list's next run is the next instant that fires: excluded dates are passed over there too.
const NOW = new Date("2026-06-01T00:00:00Z");
let t: TestApi;

interface ListAnswer {
  schedules: { name: string; nextFireAt: string | null }[];
  nextCursor: string | null;
}

const list = async (query: string) => {
  const response = await t.app.inject({ url: `/api/v1/schedules${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return bodyOf<ListAnswer>(response);
};
const post = async (url: string, payload: Record<string, unknown>) => {
  const response = await t.app.inject({ method: "POST", url, payload });
  expect(response.statusCode, response.body).toBe(201);
};

beforeAll(async () => {
  t = await createTestApi({ now: () => NOW });
  await post("/api/v1/calendars", { name: "plant-shutdown", dates: ["2026-06-01/2026-06-02"] });
  const base = { task: "reports", timezone: "UTC" };
  await post("/api/v1/schedules", { ...base, name: "noon_plain", cron: "0 12 * * *" });
  await post("/api/v1/schedules", {
    ...base,
    name: "nine_own_exclude",
    cron: "0 9 * * *",
    exclude: ["2026-06-01"],
  });
  await post("/api/v1/schedules", {
    ...base,
    name: "eight_by_calendar",
    cron: "0 8 * * *",
    calendars: ["plant-shutdown"],
  });
  await post("/api/v1/schedules", {
    ...base,
    name: "hourly_excluded_for_years",
    cron: "0 * * * *",
    exclude: ["2026-06-01/2035-12-31", "2036-01-01/2045-12-31"],
  });
});

describe("the next run in the schedule list", () => {
  it("lists as next run the first instant after an excluded date, not the excluded one", async () => {
    const answer = await list("");
    expect(answer.schedules.map((s) => [s.name, s.nextFireAt])).toEqual([
      ["eight_by_calendar", "2026-06-03T08:00:00.000Z"],
      ["hourly_excluded_for_years", null],
      ["nine_own_exclude", "2026-06-02T09:00:00.000Z"],
      ["noon_plain", "2026-06-01T12:00:00.000Z"],
    ]);
  });

  it("sorts by that next run, page after page, with a schedule excluded past the search last", async () => {
    const expected = ["noon_plain", "nine_own_exclude", "eight_by_calendar", "hourly_excluded_for_years"];
    expect((await list("?sort=next")).schedules.map((s) => s.name)).toEqual(expected);
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListAnswer = await list(`?sort=next&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      names.push(...page.schedules.map((s) => s.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(expected);
  });
});
