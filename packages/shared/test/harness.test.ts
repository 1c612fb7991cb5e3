import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanUpAfterEachTest } from "../../../test/fileTeardown.js";
import { withDatabase } from "../../../test/globalSetup.js";
import { databaseServerUrl } from "../../../test/helpers.js";
import { runDirectory } from "../../../test/runScope.js";
import { isPortOpen } from "../../../test/services.js";

// The test harness itself: whatever way a test file ends, a run leaves no database and no server
// behind, and says so loudly when a file did not release what it made.

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const reports = mkdtempSync(join(tmpdir(), "hotbeat-harness-"));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

interface FixtureRun {
  exitCode: number | null;
  output: string;
  report: Map<string, string>;
}

function runFixture(end: "fail" | "timeout" | "kill"): Promise<FixtureRun> {
  const reportFile = join(reports, `${end}.txt`);
  const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
  const child = spawn(process.execPath, [vitest, "run", "--config", "test/fixtures/vitest.config.ts"], {
    cwd: repoRoot,
    env: { ...process.env, HOTBEAT_FIXTURE_END: end, HOTBEAT_FIXTURE_REPORT: reportFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    child.once("close", (exitCode) => {
      const lines = existsSync(reportFile) ? readFileSync(reportFile, "utf8").trim().split("\n") : [];
      const report = new Map(lines.map((line) => line.split(" ") as [string, string]));
      resolve({ exitCode, output, report });
    });
  });
}

async function databasesOfRun(runId: string): Promise<string[]> {
  const admin = postgres(withDatabase(databaseServerUrl(), "postgres"), {
    max: 1,
    onnotice: () => undefined,
  });
  try {
    const rows = await admin<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE strpos(datname, ${runId}) > 0`;
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

async function expectNothingLeft(run: FixtureRun): Promise<void> {
  const runId = run.report.get("run")!;
  expect(run.report.get("postgres"), run.output).toBeDefined();
  expect(await databasesOfRun(runId)).toEqual([]);
  expect(existsSync(runDirectory(runId))).toBe(false);
  expect(await isPortOpen("127.0.0.1", Number(run.report.get("redis")))).toBe(false);
  expect(await isPortOpen("127.0.0.1", Number(run.report.get("postgres")))).toBe(false);
}

// Side by side: each fixture run is a vitest run of its own (its own run id, databases, servers and
// folder), so the three only share the machine.
describe.concurrent("the test harness", () => {
  it("removes a failed file's database and private servers in the file's own teardown", async () => {
    const run = await runFixture("fail");
    expect(run.exitCode).toBe(1);
    expect(run.output).not.toMatch(/left behind/);
    await expectNothingLeft(run);
  }, 120_000);

  it("removes them as well when a test times out", async () => {
    const run = await runFixture("timeout");
    expect(run.output).toMatch(/Test timed out/);
    expect(run.output).not.toMatch(/left behind/);
    await expectNothingLeft(run);
  }, 120_000);

  it("removes what a killed test process left, and fails the run naming each thing", async () => {
    const run = await runFixture("kill");
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(`the database ${run.report.get("database")}`);
    expect(run.output).toMatch(/a running private server \(redis-\d+\.pid/);
    expect(run.output).toMatch(/a running private server \(pg-/);
    await expectNothingLeft(run);
  }, 120_000);
});

describe("a cleanup queued from a beforeAll", () => {
  // vitest drops an afterEach registered while a hook runs; the harness's own queue does not.
  const ran: string[] = [];
  beforeAll(() => cleanUpAfterEachTest(() => ran.push("cleanup")));

  it("has not run before the first test ends", () => {
    expect(ran).toEqual([]);
  });

  it("runs after each test", () => {
    expect(ran).toEqual(["cleanup"]);
  });
});
