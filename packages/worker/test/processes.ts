import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";

const workerRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * A TypeScript file run by Node through tsx, resolving @hotbeat/shared to its sources; call it
 * from a test, whose end kills the child if it is still running.
 */
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
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  trackOutput(child);
  return child;
}

export { waitForExit, waitForLine } from "../../../test/processes.js";
import { trackOutput } from "../../../test/processes.js";
