import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/**
 * Runs a built entry point of the repository (`packages/server/dist/main.js`) as a real process.
 * `npm test` builds first; run `npm run build` before running such a file on its own.
 */
export function spawnBuilt(entry: string, env: Record<string, string>): ChildProcess {
  const file = `${repoRoot}/${entry}`;
  if (!existsSync(file)) throw new Error(`${entry} is not built: run npm run build (npm test does it)`);
  const child = spawn(process.execPath, [file], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  return child;
}

/** Resolves with the first line of the child's output that matches; rejects if it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const readers = [child.stdout, child.stderr]
      .filter((s) => s !== null)
      .map((s) => createInterface({ input: s }));
    const finish = (error: Error | undefined, line?: string) => {
      clearTimeout(timer);
      child.off("exit", onExit);
      for (const reader of readers) reader.close();
      if (error) reject(error);
      else resolve(line!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `no line matching ${pattern} within ${timeoutMs} ms; saw:\n${seen.slice(-20).join("\n")}`,
          ),
        ),
      timeoutMs,
    );
    const onExit = (code: number | null) =>
      finish(
        new Error(
          `exited with ${code} before a line matching ${pattern}; saw:\n${seen.slice(-20).join("\n")}`,
        ),
      );
    for (const reader of readers) {
      reader.on("line", (line) => {
        seen.push(line);
        if (pattern.test(line)) finish(undefined, line);
      });
    }
    child.once("exit", onExit);
  });
}

/** Resolves with the exit code once the child has exited. */
export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/**
 * Re-checks `probe` until it returns a value, for state that lives in another process and has no
 * event to wait on here (rows in PostgreSQL written by a child). Fails after `timeoutMs`.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
