import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonOf, runCli, startTestServer } from "./testServer.js";

let env: Record<string, string>;
const hotbeat = (...argv: string[]) => runCli(argv, env);

beforeAll(async () => {
  const server = await startTestServer();
  env = { HOTBEAT_URL: server.url };
});

async function ok(...argv: string[]) {
  const result = await hotbeat(...argv);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  return result;
}

describe("hotbeat calendars", () => {
  it("creates a calendar and shows it, as text and JSON", async () => {
    const created = await ok(
      "calendars",
      "create",
      "vn-public-holidays",
      "--dates",
      "2027-01-01,2027-04-30/2027-05-01",
      "--description",
      "Public holidays in Vietnam",
    );
    expect(created.stdout).toBe("Created calendar vn-public-holidays (version 1).\n");
    const shown = await ok("calendars", "get", "vn-public-holidays");
    expect(shown.stdout).toContain("dates:       2027-01-01, 2027-04-30/2027-05-01\n");
    expect(shown.stdout).toContain("used by:     0 schedules\n");
    expect(jsonOf(await ok("calendars", "get", "vn-public-holidays", "--json"))).toMatchObject({
      name: "vn-public-holidays",
      version: 1,
    });
    const listed = await ok("calendars", "list");
    expect(listed.stdout).toMatch(
      /^NAME +DATES +USED BY +VERSION +DESCRIPTION\nvn-public-holidays +2 +0 +1 +Public/,
    );
  });

  it("refuses a date that does not exist with exit 1, naming the entry", async () => {
    const result = await hotbeat("calendars", "create", "typo", "--dates", "2027-01-01,2027-02-29");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('dates.1: "2027-02-29" must be a real date');
  });

  it("creates a schedule with labels, exclusions and a calendar, and shows them with get", async () => {
    await ok(
      "create",
      "payroll",
      "--task",
      "payroll.run",
      "--cron",
      "0 18 * * *",
      "--tz",
      "Asia/Ho_Chi_Minh",
      "--label",
      "team=finance",
      "--label",
      "tier=gold",
      "--exclude",
      "2027-12-24/2027-12-26",
      "--calendar",
      "vn-public-holidays",
    );
    const shown = await ok("get", "payroll");
    expect(shown.stdout).toContain("labels:      team=finance,tier=gold\n");
    expect(shown.stdout).toContain("exclude:     2027-12-24/2027-12-26\n");
    expect(shown.stdout).toContain("calendars:   vn-public-holidays\n");
    expect(shown.stdout).toContain("pause:       -\n");
    expect(shown.stdout).toContain("alert:       -\n");
    const unknown = await hotbeat(
      "create",
      "other",
      "--task",
      "log",
      "--cron",
      "0 9 * * *",
      "--calendar",
      "nope",
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('calendars.0: calendar "nope" does not exist');
  });

  it("edits labels with set, k=v adding and k- removing, keeping the others", async () => {
    await ok("set", "payroll", "--label", "owner=an", "--label", "tier-");
    expect(jsonOf(await ok("get", "payroll", "--json")).labels).toEqual({ team: "finance", owner: "an" });
    await ok("set", "payroll", "--exclude", "", "--calendar", "");
    expect(jsonOf(await ok("get", "payroll", "--json"))).toMatchObject({ exclude: [], calendars: [] });
    await ok("set", "payroll", "--calendar", "vn-public-holidays");
  });

  it("adds and removes calendar dates with set, saying which schedules took the change", async () => {
    const result = await ok(
      "calendars",
      "set",
      "vn-public-holidays",
      "--add-dates",
      "2027-09-02",
      "--remove-dates",
      "2027-01-01",
    );
    expect(result.stdout).toBe(
      "Updated calendar vn-public-holidays (version 2).\n1 schedule naming it took the change: payroll.\n",
    );
    expect(jsonOf(await ok("calendars", "get", "vn-public-holidays", "--json")).dates).toEqual([
      "2027-04-30/2027-05-01",
      "2027-09-02",
    ]);
    const history = await ok("calendars", "history", "vn-public-holidays");
    expect(history.stdout).toMatch(/^VERSION +WHEN +WHO +VIA +CHANGE\n2 .* cli +dates: /);
  });

  it("refuses to delete a calendar a schedule names, then deletes it once none does", async () => {
    const refused = await hotbeat("calendars", "delete", "vn-public-holidays");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is named by 1 schedule (payroll)");
    await ok("set", "payroll", "--calendar", "");
    expect((await ok("calendars", "delete", "vn-public-holidays")).stdout).toBe(
      "Deleted calendar vn-public-holidays.\n",
    );
  });

  it("answers a usage error with exit 2 for an unknown action or a missing name", async () => {
    expect((await hotbeat("calendars", "rename", "x")).code).toBe(2);
    expect((await hotbeat("calendars", "get")).code).toBe(2);
    expect(
      (await hotbeat("calendars", "set", "x", "--dates", "2027-01-01", "--add-dates", "2027-01-02")).code,
    ).toBe(2);
  });
});

describe("label selectors on the command line", () => {
  beforeAll(async () => {
    await ok(
      "create",
      "fin_report",
      "--task",
      "log",
      "--cron",
      "0 9 * * *",
      "--label",
      "team=finance",
      "--description",
      "the report",
    );
    await ok("create", "ops_report", "--task", "log", "--cron", "0 9 * * *", "--label", "team=ops");
  });

  it("lists with -l and --search, showing a LABELS column", async () => {
    const result = await ok("list", "-l", "team=finance", "--search", "report");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/ LABELS +HEALTH$/);
    expect(lines.slice(1).map((line) => line.split(" ")[0])).toEqual(["fin_report"]);
    expect(lines[1]).toMatch(/ team=finance +ok$/);
    const names = jsonOf<{ name: string }[]>(
      await ok("list", "--label", "team", "--label", "team!=finance", "--json"),
    );
    expect(names.map((s) => s.name)).toEqual(["ops_report"]);
    const bad = await hotbeat("list", "-l", "team=a b");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("label:");
  });

  it("exports and imports only what -l selects, saying how many it left out", async () => {
    const exported = JSON.parse((await ok("export", "-l", "team=ops")).stdout);
    expect(exported.schedules.map((s: { name: string }) => s.name)).toEqual(["ops_report"]);
    const dir = await mkdtemp(join(tmpdir(), "hotbeat-cli-"));
    const file = join(dir, "mixed.json");
    await writeFile(
      file,
      JSON.stringify({
        schedules: [
          { name: "new_fin", task: "log", cron: "0 8 * * *", labels: { team: "finance" } },
          { name: "new_ops", task: "log", cron: "0 8 * * *", labels: { team: "ops" } },
        ],
      }),
    );
    const imported = await ok("import", file, "-l", "team=finance");
    expect(imported.stdout).toBe(
      "Imported:\n  create    new_fin (version 1)\nLeft out 1 schedule the label selector does not match.\n",
    );
    expect((await hotbeat("get", "new_ops")).code).toBe(1);
  });
});
