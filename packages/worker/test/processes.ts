import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
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
  return child;
}

/** Resolves with the first line of the child's stdout (or stderr) that matches. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const readers = [child.stdout, child.stderr]
      .filter((s) => s !== null)
      .map((s) => createInterface({ input: s }));
    const finish = (error: Error | undefined, line?: string) => {
      clearTimeout(timer);
      for (const reader of readers) reader.close();
      if (error) reject(error);
      else resolve(line!);
    };
    const timer = setTimeout(
      () => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms; saw:\n${seen.join("\n")}`)),
      timeoutMs,
    );
    for (const reader of readers) {
      reader.on("line", (line) => {
        seen.push(line);
        if (pattern.test(line)) finish(undefined, line);
      });
    }
    child.once("exit", (code) =>
      finish(new Error(`exited with ${code} before a line matching ${pattern}; saw:\n${seen.join("\n")}`)),
    );
  });
}

/** Resolves with the exit code once the child has exited. */
export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
