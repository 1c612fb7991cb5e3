import { beforeAll, describe, expect, it } from "vitest";
import { bodyOf, createTestApi, type TestApi } from "./testApi.js";

const NOW = new Date("2026-06-01T00:00:00Z");
let t: TestApi;

interface ListAnswer {
  schedules: { name: string; labels: Record<string, string> }[];
  nextCursor: string | null;
}

const list = async (query: string) => {
  const response = await t.app.inject({ url: `/api/v1/schedules?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return bodyOf<ListAnswer>(response);
};
const namesOf = async (query: string) => (await list(query)).schedules.map((s) => s.name);

async function collectPages(query: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ListAnswer = await list(`${query}${cursor ? `&cursor=${cursor}` : ""}`);
    names.push(...page.schedules.map((s) => s.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

beforeAll(async () => {
  t = await createTestApi({ now: () => NOW });
  const schedules = [
    { name: "fin_report_daily", cron: "0 9 * * *", labels: { team: "finance", tier: "gold" } },
    {
      name: "fin_report_weekly",
      cron: "0 9 * * 1",
      labels: { team: "finance" },
      description: "weekly report",
    },
    { name: "fin_payroll", cron: "0 18 * * *", labels: { team: "finance", owner: "an" }, enabled: false },
    { name: "fin_invoices", intervalSeconds: 3600, labels: { team: "finance", tier: "silver" } },
    { name: "ops_backup", cron: "30 2 * * *", labels: { team: "ops", tier: "gold" } },
    { name: "ops_report", cron: "0 7 * * *", labels: { team: "ops" } },
    { name: "plain", cron: "0 0 * * *" },
  ];
  for (const schedule of schedules) {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/schedules",
      payload: { task: "log", ...schedule },
    });
    expect(response.statusCode, response.body).toBe(201);
  }
});

describe("GET /api/v1/schedules?label=", () => {
  it("selects by key=value, key!=value, key and !key, kubectl style", async () => {
    expect(await namesOf("label=team=finance")).toEqual([
      "fin_invoices",
      "fin_payroll",
      "fin_report_daily",
      "fin_report_weekly",
    ]);
    expect(await namesOf("label=team!=finance")).toEqual(["ops_backup", "ops_report", "plain"]);
    expect(await namesOf("label=owner")).toEqual(["fin_payroll"]);
    expect(await namesOf("label=!tier")).toEqual(["fin_payroll", "fin_report_weekly", "ops_report", "plain"]);
  });

  it("ANDs the requirements of a comma list and of repeated values", async () => {
    expect(await namesOf("label=team=finance,tier=gold")).toEqual(["fin_report_daily"]);
    expect(await namesOf("label=tier=gold&label=team!=finance")).toEqual(["ops_backup"]);
    expect(await namesOf("label=team=finance&label=tier&label=tier!=gold")).toEqual(["fin_invoices"]);
  });

  it("combines with the search, enabled, task and health filters", async () => {
    expect(await namesOf("label=team=finance&q=report")).toEqual(["fin_report_daily", "fin_report_weekly"]);
    expect(await namesOf("label=team=finance&enabled=false")).toEqual(["fin_payroll"]);
    expect(await namesOf("label=team=ops&task=log&health=ok")).toEqual(["ops_backup", "ops_report"]);
    expect(await namesOf("label=team=ops&task=other")).toEqual([]);
  });

  it("pages a selection by cursor in both orders without losing or repeating a schedule", async () => {
    expect(await collectPages("label=team=finance&limit=1")).toEqual(await namesOf("label=team=finance"));
    expect(await collectPages("label=team=finance&sort=next&limit=2")).toEqual(
      await namesOf("label=team=finance&sort=next"),
    );
    expect((await namesOf("label=team=finance&sort=next")).at(-1)).toBe("fin_payroll");
  });

  it("refuses a selector that is not one with 400 naming label", async () => {
    for (const bad of ["team=a=b", "team=a b", ",", "env in (a,b)", "Team Name"]) {
      const response = await t.app.inject({ url: `/api/v1/schedules?label=${encodeURIComponent(bad)}` });
      expect(response.statusCode, bad).toBe(400);
      expect(bodyOf(response).error.details[0].field).toBe("label");
    }
  });
});

describe("export and import by label", () => {
  it("exports only the schedules the selector matches", async () => {
    const response = await t.app.inject({ url: "/api/v1/export?label=team=ops" });
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).schedules.map((s: { name: string }) => s.name)).toEqual([
      "ops_backup",
      "ops_report",
    ]);
    expect((await t.app.inject({ url: "/api/v1/export?label=-x" })).statusCode).toBe(400);
  });

  it("imports only the document's schedules that match, and says how many it left out", async () => {
    const document = {
      schedules: [
        { name: "new_fin", task: "log", cron: "0 8 * * *", labels: { team: "finance" } },
        { name: "new_ops", task: "log", cron: "0 8 * * *", labels: { team: "ops" } },
        { name: "new_plain", task: "log", cron: "not a cron" },
      ],
    };
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/import?label=team=finance",
      payload: document,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      dryRun: false,
      results: [{ name: "new_fin", action: "create" }],
      leftOut: 2,
    });
    expect((await t.app.inject({ url: "/api/v1/schedules/new_ops" })).statusCode).toBe(404);
    const all = await t.app.inject({ method: "POST", url: "/api/v1/import?dryRun=true", payload: document });
    expect(bodyOf(all).error.details[0].field).toBe("schedules[2].cron");
  });
});
