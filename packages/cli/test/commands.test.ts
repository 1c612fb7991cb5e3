import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonOf, runCli, startTestServer, type TestServer } from "./testServer.js";

let env: Record<string, string>;
let server: TestServer;
const hotbeat = (...argv: string[]) => runCli(argv, env);

beforeAll(async () => {
  server = await startTestServer();
  env = { HOTBEAT_URL: server.url };
});

describe("the three example schedules", () => {
  beforeAll(async () => {
    for (const argv of [
      [
        "create",
        "morning_intelligence_report",
        "--task",
        "reports.morning",
        "--cron",
        "15 9 * * *",
        "--tz",
        "Asia/Ho_Chi_Minh",
      ],
      ["create", "inventory_health_check", "--task", "inventory.check", "--every", "6h"],
      [
        "create",
        "weekly_summary_report",
        "--task",
        "reports.weekly",
        "--cron",
        "0 8 * * 1",
        "--tz",
        "Asia/Ho_Chi_Minh",
      ],
    ]) {
      const result = await hotbeat(...argv);
      expect(result, result.stderr).toMatchObject({ code: 0 });
    }
  });

  it("moves the morning report to 07:30 with set --hour 7 --minute 30 and prints the next runs in its zone", async () => {
    const result = await hotbeat("set", "morning_intelligence_report", "--hour", "7", "--minute", "30");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Updated morning_intelligence_report (version 2).");
    expect(result.stdout).toContain("Next runs (Asia/Ho_Chi_Minh):");
    const runLines = result.stdout.split("\n").filter((l) => l.includes("07:30 +07:00"));
    expect(runLines).toHaveLength(5);
    expect(runLines[0]).toMatch(
      /^ {2}(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} 07:30 \+07:00 {2}\(\d{4}-\d{2}-\d{2}T00:30:00Z\)$/,
    );
    expect(jsonOf(await hotbeat("get", "morning_intelligence_report", "--json"))).toMatchObject({
      cron: "30 7 * * *",
      version: 2,
    });
  });

  it("makes the inventory check every four hours with set --interval 14400", async () => {
    const result = await hotbeat("set", "inventory_health_check", "--interval", "14400");
    expect(result.code).toBe(0);
    expect(jsonOf(await hotbeat("get", "inventory_health_check", "--json"))).toMatchObject({
      intervalSeconds: 14_400,
      cron: null,
    });
    expect((await hotbeat("get", "inventory_health_check")).stdout).toContain("when:        Every 4 hours");
  });

  it("pauses the weekly summary with set --disable and says it will not run", async () => {
    const result = await hotbeat("set", "weekly_summary_report", "--disable");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(
      "Updated weekly_summary_report (version 2).\nPaused: it will not run until enabled.\n",
    );
    expect(jsonOf(await hotbeat("get", "weekly_summary_report", "--json")).enabled).toBe(false);
  });

  it("lists them in words, and as JSON", async () => {
    const result = await hotbeat("list");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NAME +ENABLED +TASK +WHEN +VERSION +LABELS +HEALTH\n/);
    expect(result.stdout).toContain("At 07:30 every day, Asia/Ho_Chi_Minh");
    expect(result.stdout).toContain("At 08:00 on Mondays, Asia/Ho_Chi_Minh");
    const names = jsonOf<{ name: string }[]>(await hotbeat("list", "--json")).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "inventory_health_check",
        "morning_intelligence_report",
        "weekly_summary_report",
      ]),
    );
    const paused = jsonOf<{ name: string }[]>(await hotbeat("list", "--disabled", "--json")).map(
      (s) => s.name,
    );
    expect(paused).toEqual(["weekly_summary_report"]);
  });

  it("records the OS user and the source cli in history, with the note", async () => {
    await hotbeat("set", "weekly_summary_report", "--enable", "--note", "back after the audit — ça va");
    const [latest] = jsonOf<{ actor: string; source: string; note: string }[]>(
      await hotbeat("history", "weekly_summary_report", "--json"),
    );
    expect(latest).toMatchObject({
      actor: userInfo().username,
      source: "cli",
      note: "back after the audit — ça va",
    });
    const text = (await hotbeat("history", "morning_intelligence_report")).stdout;
    expect(text).toMatch(/^VERSION +WHEN +WHO +VIA +CHANGE\n/);
    expect(text).toContain("cron: 15 9 * * * → 30 7 * * *");
    expect(text).toContain("created");
  });
});

describe("a schedule hotbeat cannot fire", () => {
  it("shows invalid and the reason in the HEALTH column of list and in get, ok for the others", async () => {
    expect((await hotbeat("create", "broken_by_sql", "--task", "log", "--cron", "0 9 * * *")).code).toBe(0);
    // What a hand-made UPDATE can leave behind, past the API's validation.
    await server.sql`UPDATE schedules SET cron = 'every morning', timezone = 'Mars/Olympus_Mons' WHERE name = 'broken_by_sql'`;
    const { health } = jsonOf<{ health: { reason: string; problems: { field: string }[] } }>(
      await hotbeat("get", "broken_by_sql", "--json"),
    );
    expect(health.problems.map((p) => p.field).sort()).toEqual(["cron", "timezone"]);
    const [, second] = health.problems;

    const list = (await hotbeat("list")).stdout.split("\n");
    expect(list[0]).toMatch(/ HEALTH$/);
    expect(list.find((line) => line.startsWith("broken_by_sql "))).toMatch(
      new RegExp(` invalid: ${escapeRegExp(health.reason)}$`),
    );
    expect(list.find((line) => line.startsWith("morning_intelligence_report "))).toMatch(/ ok$/);

    const get = await hotbeat("get", "broken_by_sql");
    expect(get.code).toBe(0);
    expect(get.stdout).toContain(`health:      invalid: ${health.reason}\n             ${second?.field}: `);
    expect(get.stdout).toMatch(/It cannot fire until the problem above is fixed\.\n$/);
    // Gone again, so the export below has only schedules import takes back.
    await server.sql`DELETE FROM schedules WHERE name = 'broken_by_sql'`;
  });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("set keeps what it is not told to change", () => {
  it("gives 15 9 * * 1 for --hour 9 on 15 7 * * 1", async () => {
    await hotbeat("create", "keep_parts", "--task", "log", "--cron", "15 7 * * 1");
    expect((await hotbeat("set", "keep_parts", "--hour", "9")).code).toBe(0);
    expect(jsonOf(await hotbeat("get", "keep_parts", "--json")).cron).toBe("15 9 * * 1");
    await hotbeat("set", "keep_parts", "--days", "mon,fri");
    expect(jsonOf(await hotbeat("get", "keep_parts", "--json")).cron).toBe("15 9 * * 1,5");
  });

  it("prints the API's warnings after a change, and the whole answer with --json", async () => {
    const result = await hotbeat("set", "keep_parts", "--every", "1m", "--json");
    expect(result.code).toBe(0);
    const body = jsonOf(result);
    expect(body.schedule).toMatchObject({ intervalSeconds: 60, cron: null });
    expect(body.warnings.length).toBeGreaterThan(0);
    expect(body.nextRuns).toHaveLength(5);
    const text = await hotbeat("set", "keep_parts", "--every", "2m");
    expect(text.stderr).toMatch(/^warning: /);
  });
});

describe("the other commands", () => {
  it("creates with a payload from a file and a one-off --at", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hotbeat-cli-"));
    await writeFile(join(dir, "payload.json"), JSON.stringify({ url: "https://example.com", method: "GET" }));
    const result = await hotbeat(
      "create",
      "one_off",
      "--task",
      "http",
      "--at",
      "2099-01-02T03:04:00+07:00",
      "--payload",
      `@${join(dir, "payload.json")}`,
      "--json",
    );
    expect(result.code).toBe(0);
    expect(jsonOf(result).schedule).toMatchObject({
      runAt: "2099-01-01T20:04:00.000Z",
      payload: { url: "https://example.com" },
    });
  });

  it("shows one schedule with its details and next runs", async () => {
    const result = await hotbeat("get", "morning_intelligence_report");
    expect(result.stdout).toContain("name:        morning_intelligence_report");
    expect(result.stdout).toContain("time zone:   Asia/Ho_Chi_Minh");
    expect(result.stdout).toContain("Next runs (Asia/Ho_Chi_Minh):");
  });

  it("lists the next N fire times with weekday names, as text and JSON", async () => {
    const text = await hotbeat(
      "next",
      "morning_intelligence_report",
      "-n",
      "3",
      "--from",
      "2026-05-03T12:00:00Z",
    );
    expect(text.stdout).toBe(
      "Next runs (Asia/Ho_Chi_Minh):\n" +
        "  Mon 2026-05-04 07:30 +07:00  (2026-05-04T00:30:00Z)\n" +
        "  Tue 2026-05-05 07:30 +07:00  (2026-05-05T00:30:00Z)\n" +
        "  Wed 2026-05-06 07:30 +07:00  (2026-05-06T00:30:00Z)\n",
    );
    const json = jsonOf(
      await hotbeat(
        "next",
        "morning_intelligence_report",
        "-n",
        "2",
        "--from",
        "2026-05-03T12:00:00Z",
        "--json",
      ),
    );
    expect(json).toEqual([
      {
        at: "2026-05-04T00:30:00.000Z",
        local: "2026-05-04T07:30:00.000+07:00",
        weekday: "Monday",
        dstShift: null,
      },
      {
        at: "2026-05-05T00:30:00.000Z",
        local: "2026-05-05T07:30:00.000+07:00",
        weekday: "Tuesday",
        dstShift: null,
      },
    ]);
  });

  it("marks a run moved by a DST gap", async () => {
    await hotbeat("create", "ny_230", "--task", "log", "--cron", "30 2 * * *", "--tz", "America/New_York");
    const text = await hotbeat("next", "ny_230", "-n", "1", "--from", "2026-03-07T12:00:00Z");
    expect(text.stdout).toContain("Sun 2026-03-08 03:30 -04:00  (2026-03-08T07:30:00Z)  ← moved");
  });

  it("runs a schedule now and shows the run", async () => {
    const result = await hotbeat("trigger", "morning_intelligence_report");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Triggered morning_intelligence_report: run [0-9a-f-]{36} is queued\.\n/);
    const runs = await hotbeat("runs", "morning_intelligence_report");
    expect(runs.stdout).toMatch(/^SCHEDULED FOR +SCHEDULE +KIND +STATUS/);
    expect(runs.stdout).toMatch(/morning_intelligence_report +manual +queued/);
    const json = jsonOf(await hotbeat("runs", "--json"));
    expect(json[0]).toMatchObject({
      schedule: "morning_intelligence_report",
      kind: "manual",
      status: "queued",
    });
    expect(jsonOf(await hotbeat("trigger", "morning_intelligence_report", "--json"))).toMatchObject({
      kind: "manual",
    });
  });

  it("exports to stdout and imports it back, dry run first", async () => {
    const exported = await hotbeat("export");
    expect(exported.code).toBe(0);
    const document = JSON.parse(exported.stdout);
    expect(document.schedules.map((s: { name: string }) => s.name)).toContain("inventory_health_check");
    const dir = await mkdtemp(join(tmpdir(), "hotbeat-cli-"));
    const file = join(dir, "schedules.json");
    const inventory = document.schedules.find((s: { name: string }) => s.name === "inventory_health_check");
    inventory.intervalSeconds = 7200;
    await writeFile(file, JSON.stringify(document));
    const dryRun = await hotbeat("import", file, "--dry-run");
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/^Dry run, nothing changed\. Would apply:\n/);
    expect(dryRun.stdout).toMatch(/ {2}update {4}inventory_health_check \(version \d+\)/);
    expect(jsonOf(await hotbeat("get", "inventory_health_check", "--json")).intervalSeconds).toBe(14_400);
    const applied = await hotbeat("import", file, "--json");
    expect(jsonOf(applied)).toMatchObject({ dryRun: false });
    expect(jsonOf(await hotbeat("get", "inventory_health_check", "--json")).intervalSeconds).toBe(7200);
    expect(JSON.parse(await readFile(file, "utf8")).schedules.length).toBe(document.schedules.length);
  });

  it("says when no scheduler is running, and prints the raw answer with --json", async () => {
    const text = await hotbeat("status");
    expect(text).toMatchObject({ code: 0 });
    expect(text.stdout).toContain("No scheduler is running");
    expect(jsonOf(await hotbeat("status", "--json"))).toEqual({ schedulers: [], leader: null });
  });

  it("deletes a schedule, after which it is not found", async () => {
    expect(await hotbeat("delete", "one_off")).toMatchObject({ code: 0, stdout: "Deleted one_off.\n" });
    const gone = await hotbeat("get", "one_off");
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: .*one_off/);
    expect(jsonOf(await hotbeat("delete", "keep_parts", "--json"))).toMatchObject({
      deleted: { name: "keep_parts" },
    });
  });
});
