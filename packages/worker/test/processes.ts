import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

const workerRoot = fileURLToPath(new URL("..", import.meta.url));
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  children.clear();
});

/** A TypeScript file run by Node through tsx, resolving @hotbeat/shared to its sources. */
export function spawnTs(file: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: workerRoot,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: fileURLToPath(new URL("./fixtures/tsconfig.json", import.meta.url)),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  trackOutput(child);
  return child;
}

export { waitForExit, waitForLine } from "../../../test/processes.js";
import { trackOutput } from "../../../test/processes.js";
