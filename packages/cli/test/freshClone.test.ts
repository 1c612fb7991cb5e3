import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `npx hotbeat` as a newcomer meets it: a clone of the committed state, `npm install`, and no build.
// A full offline install takes a minute here, so the clone's node_modules is seeded with hard links
// to this checkout's packages (same lockfile, same versions) minus everything npm links itself:
// the workspace packages and the `hotbeat` bin. `npm install` then has to make those, as on a fresh
// clone, and the test checks the link it made.

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "hotbeat-clone-"));
const clone = join(workDir, "repo");
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The environment without what an enclosing `npm test` sets, so the clone's npm sees only its own. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

const inClone = (command: string, args: string[], cwd = clone) =>
  run(command, args, { cwd, env: { ...cleanEnv, npm_config_offline: "true" }, timeout: 120_000 });

const helpFrom = async (folder: string) =>
  (await inClone("npx", ["hotbeat", "--help"], join(clone, folder))).stdout;

beforeAll(async () => {
  const { stdout: head } = await run("git", ["rev-parse", "HEAD"], { cwd: repoRoot });
  await run("git", ["clone", "--quiet", "--shared", "--no-checkout", repoRoot, clone]);
  await inClone("git", ["checkout", "--quiet", head.trim()]);
  await run("cp", ["-al", join(repoRoot, "node_modules"), join(clone, "node_modules")]);
  for (const linkedByNpm of ["@hotbeat", ".bin/hotbeat", ".package-lock.json"]) {
    rmSync(join(clone, "node_modules", linkedByNpm), { recursive: true, force: true });
  }
  await inClone("npm", ["install", "--offline", "--no-audit", "--no-fund"]);
}, 120_000);

describe("the hotbeat command after a fresh clone and npm install", () => {
  it("is linked by npm install although nothing is built yet", () => {
    expect(existsSync(join(clone, "packages/cli/dist"))).toBe(false);
    expect(readlinkSync(join(clone, "node_modules/.bin/hotbeat"))).toBe("../@hotbeat/cli/bin/hotbeat.js");
  });

  it("answers npx hotbeat --help from the root and from a subfolder without a build", async () => {
    expect(await helpFrom(".")).toMatch(/^hotbeat: manage the schedules/);
    expect(await helpFrom("packages/api/src")).toMatch(/^hotbeat: manage the schedules/);
  });

  it("runs the build once there is one, even with the sources gone", async () => {
    // The emit of the CLI's own build; the type check needs the other packages built, which the
    // rest of the suite covers.
    await inClone(process.execPath, [
      "node_modules/typescript/bin/tsc",
      "-p",
      "packages/cli/tsconfig.json",
      "--noCheck",
    ]);
    await rename(join(clone, "packages/cli/src"), join(clone, "packages/cli/src-moved"));
    expect(await helpFrom(".")).toMatch(/^hotbeat: manage the schedules/);
    expect(await helpFrom("docs")).toMatch(/^hotbeat: manage the schedules/);
  });
}, 120_000);
