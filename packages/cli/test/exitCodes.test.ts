import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/commands/index.js";
import { jsonOf, runCli, startTestServer } from "./testServer.js";

const run = promisify(execFile);
let url: string;

beforeAll(async () => {
  url = (await startTestServer()).url;
  await runCli(
    [
      "create",
      "morning_intelligence_report",
      "--task",
      "reports.morning",
      "--cron",
      "30 7 * * *",
      "--tz",
      "Asia/Ho_Chi_Minh",
    ],
    { HOTBEAT_URL: url },
  );
});

/** True when `built` is missing or older than any file under `sources`. */
async function isStale(built: string, sources: string): Promise<boolean> {
  const builtAt = await stat(built).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const files = await readdir(sources, { recursive: true, withFileTypes: true });
  const times = await Promise.all(
    files.filter((f) => f.isFile()).map(async (f) => (await stat(`${f.parentPath}/${f.name}`)).mtimeMs),
  );
  return times.some((t) => t > builtAt);
}

/** A loopback port that nothing listens on: bound, read, closed. */
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("exit codes", () => {
  it("exits 1 and prints the API's message and field when it refuses a change", async () => {
    const result = await runCli(["create", "bad_cron", "--task", "log", "--cron", "* * * *"], {
      HOTBEAT_URL: url,
    });
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toBe("error: cron: expected 5 or 6 fields, got 4\n");
    const zone = await runCli(["set", "morning_intelligence_report", "--tz", "Mars/Base"], {
      HOTBEAT_URL: url,
    });
    expect(zone).toMatchObject({ code: 1 });
    expect(zone.stderr).toMatch(/^error: timezone: /);
  });

  it("exits 1 for a name that exists and one that does not", async () => {
    const twice = await runCli(["create", "morning_intelligence_report", "--task", "log", "--every", "1h"], {
      HOTBEAT_URL: url,
    });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^error: .*exists/);
    expect((await runCli(["history", "never_was"], { HOTBEAT_URL: url })).code).toBe(1);
  });

  it("exits 2 for usage errors, before calling the API", async () => {
    const offline = { HOTBEAT_URL: `http://127.0.0.1:${await findClosedPort()}` };
    for (const argv of [
      [],
      ["frobnicate"],
      ["list", "--colour"],
      ["get"],
      ["get", "a", "b"],
      ["set", "x"],
      ["set", "x", "--hour", "25"],
      ["set", "x", "--days", "0"],
      ["set", "x", "--enable", "--disable"],
      ["set", "x", "--hour", "9", "--cron", "0 9 * * *"],
      ["set", "x", "--every", "6 hours"],
      ["create", "x", "--cron", "* * * * *"],
      ["create", "x", "--task", "log"],
      ["create", "x", "--task", "log", "--every", "1h", "--payload", "{nope"],
      ["next", "x", "-n", "0"],
      ["import", "/nonexistent/file.json"],
    ]) {
      const result = await runCli(argv, offline);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stdout, argv.join(" ")).toBe("");
      expect(result.stderr.length, argv.join(" ")).toBeGreaterThan(0);
    }
  });

  it("exits 3 and names the URL when nothing answers there", async () => {
    const closed = `http://127.0.0.1:${await findClosedPort()}`;
    const result = await runCli(["list"], { HOTBEAT_URL: closed });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot reach the hotbeat API at ${closed} (connect ECONNREFUSED`);
    expect((await runCli(["--url", closed, "status", "--json"], {})).code).toBe(3);
  });

  it("exits 2 for an address with credentials in it, and never prints the password", async () => {
    const withCredentials = url.replace("://", "://admin:hunter2-secret@");
    for (const env of [
      { HOTBEAT_URL: withCredentials },
      { HOTBEAT_URL: `ftp://admin:hunter2-secret@host/` },
    ]) {
      const result = await runCli(["list"], env);
      expect(result.code, env.HOTBEAT_URL).toBe(2);
      expect(result.stderr).toContain("***@");
      expect(result.stderr).not.toContain("hunter2");
    }
  });

  it("answers --help on every command with exit 0 and its usage", async () => {
    for (const command of COMMANDS) {
      const result = await runCli([command.name, "--help"], {});
      expect(result, command.name).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout, command.name).toMatch(new RegExp(`^Usage: hotbeat ${command.name}\\b`));
    }
    const general = await runCli(["--help"], {});
    expect(general.code).toBe(0);
    expect(general.stdout).toContain("Commands:");
    expect((await runCli(["help", "next"], {})).stdout).toMatch(/^Usage: hotbeat next NAME/);
  });
});

describe("a token-protected API", () => {
  it("is refused with exit 1 and a hint without HOTBEAT_API_TOKEN, and served with it", async () => {
    const guarded = await startTestServer({ apiToken: "s3cret-token" });
    const without = await runCli(["list"], { HOTBEAT_URL: guarded.url });
    expect(without.code).toBe(1);
    expect(without.stderr).toContain("Set HOTBEAT_API_TOKEN");
    const wrong = await runCli(["list"], { HOTBEAT_URL: guarded.url, HOTBEAT_API_TOKEN: "nope" });
    expect(wrong.code).toBe(1);
    const right = await runCli(["list", "--json"], {
      HOTBEAT_URL: guarded.url,
      HOTBEAT_API_TOKEN: "s3cret-token",
    });
    expect(right.code).toBe(0);
    expect(jsonOf(right)).toEqual([]);
  });
});

describe("the built binary", () => {
  it("runs as `hotbeat` from dist/main.js with a shebang, reading HOTBEAT_URL and setting the exit code", async () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const bin = `${root}packages/cli/dist/main.js`;
    // `npm test` builds first; a bare `vitest run` may find no build, or a stale one.
    if (await isStale(bin, `${root}packages/cli/src`)) {
      await run(process.execPath, [
        `${root}node_modules/typescript/bin/tsc`,
        "-p",
        `${root}packages/cli/tsconfig.json`,
      ]);
    }
    expect((await readFile(bin, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
    const env = { ...process.env, HOTBEAT_URL: url };
    const { stdout } = await run(process.execPath, [bin, "next", "morning_intelligence_report", "-n", "2"], {
      env,
    });
    expect(stdout).toMatch(/^Next runs \(Asia\/Ho_Chi_Minh\):\n {2}\w{3} \d{4}-\d{2}-\d{2} 07:30 \+07:00/);
    const failure = await run(process.execPath, [bin, "get", "no_such_schedule"], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/^error: /);
  }, 60_000);
});
