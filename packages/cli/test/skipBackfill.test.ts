import { beforeAll, describe, expect, it } from "vitest";
import { jsonOf, runCli, startTestServer } from "./testServer.js";

let env: Record<string, string>;
const hotbeat = (...argv: string[]) => runCli(argv, env);

beforeAll(async () => {
  const server = await startTestServer();
  env = { HOTBEAT_URL: server.url };
  const created = await hotbeat(
    "create",
    "hourly_sync",
    "--task",
    "log",
    "--cron",
    "0 * * * *",
    "--tz",
    "UTC",
  );
  expect(created, created.stderr).toMatchObject({ code: 0 });
});

let skippedAt = "";

describe("skip and unskip", () => {
  it("skips the next run, says how to undo it, and next shows it as skipped", async () => {
    const result = await hotbeat("skip", "hourly_sync");
    expect(result, result.stderr).toMatchObject({ code: 0 });
    skippedAt = /^Skipped hourly_sync at (\S+) \(skipped by /.exec(result.stdout)?.[1] ?? "";
    expect(new Date(skippedAt).getUTCMinutes()).toBe(0);
    expect(result.stdout).toContain(`hotbeat unskip hourly_sync --at ${skippedAt}`);
    const next = await hotbeat("next", "hourly_sync", "-n", "1");
    expect(next.stdout.split("\n")[1]).toMatch(/← skipped by /);
  });

  it("undoes the skip with unskip --at, after which the instant runs again", async () => {
    const at = skippedAt;
    const result = await hotbeat("unskip", "hourly_sync", "--at", at);
    expect(result, result.stderr).toMatchObject({ code: 0, stdout: `hourly_sync runs at ${at} again.\n` });
    const again = await hotbeat("unskip", "hourly_sync", "--at", at);
    expect(again.code).toBe(1);
  });

  it("refuses unskip without --at as a usage error", async () => {
    expect((await hotbeat("unskip", "hourly_sync")).code).toBe(2);
  });
});

describe("backfill", () => {
  const from = "2026-01-01T00:00:00Z";
  const to = "2026-01-01T02:00:00Z";

  it("lists with --dry-run the instants it would run, both ends included, and writes nothing", async () => {
    const result = await hotbeat("backfill", "hourly_sync", "--from", from, "--to", to, "--dry-run");
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("Dry run: nothing written.");
    expect(result.stdout).toContain("3 instants: 3 would be created");
    expect(result.stdout).toContain("2026-01-01T02:00:00.000Z  created");
    expect(jsonOf(await hotbeat("runs", "hourly_sync", "--json"))).toEqual([]);
  });

  it("runs them, and a second backfill finds them already recorded", async () => {
    const first = jsonOf(await hotbeat("backfill", "hourly_sync", "--from", from, "--to", to, "--json"));
    expect(first).toMatchObject({ count: 3, created: 3, existing: 0 });
    const second = await hotbeat("backfill", "hourly_sync", "--from", from, "--to", to);
    expect(second.stdout).toContain(
      "3 instants: 0 created, 0 missed and now running, 3 already recorded, 0 excluded.",
    );
  });

  it("refuses a backfill without --to as a usage error", async () => {
    expect((await hotbeat("backfill", "hourly_sync", "--from", from)).code).toBe(2);
  });
});
