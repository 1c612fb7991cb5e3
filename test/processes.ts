import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { releaseAfterFile, releaseOnExit } from "./fileTeardown.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const children = new Set<ChildProcess>();

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

// Every child still running when its test process exits is killed; each one also after its file.
releaseOnExit(() => {
  for (const child of children) if (isRunning(child)) child.kill("SIGKILL");
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
  child.once("exit", () => children.delete(child));
  releaseAfterFile(() => {
    if (isRunning(child)) child.kill("SIGKILL");
  });
  // HOTBEAT_TEST_CHILD_LOG=1 shows what the child prints, to diagnose a failing test.
  trackOutput(child);
  return child;
}

interface OutputTracker {
  lines: EventEmitter;
  recent: string[];
}
const trackers = new WeakMap<ChildProcess, OutputTracker>();

/**
 * Reads a child's stdout and stderr for its whole life, line by line. A child whose pipe nobody
 * drains blocks (or fails with EAGAIN) once the pipe's 64 KiB buffer fills, and a logging process
 * fills it fast: every spawned child is read from the start, whether or not a test looks.
 */
export function trackOutput(child: ChildProcess): OutputTracker {
  let tracker = trackers.get(child);
  if (tracker) return tracker;
  const created: OutputTracker = { lines: new EventEmitter(), recent: [] };
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      created.recent.push(line);
      if (created.recent.length > 40) created.recent.shift();
      if (process.env.HOTBEAT_TEST_CHILD_LOG) process.stderr.write(`${line}\n`);
      created.lines.emit("line", line);
    });
  }
  // A child that dies on its own with an error says why in the test's output.
  child.once("exit", (code) => {
    if (code !== null && code !== 0) {
      process.stderr.write(
        `child ${child.pid} exited with ${code}; its last lines:\n${created.recent.join("\n")}\n`,
      );
    }
  });
  trackers.set(child, created);
  tracker = created;
  return tracker;
}

/** Resolves with the first line the child prints from now on that matches; rejects if it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  const { lines, recent } = trackOutput(child);
  return new Promise((resolve, reject) => {
    const finish = (error: Error | undefined, line?: string) => {
      clearTimeout(timer);
      lines.off("line", onLine);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(line!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(`no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${recent.join("\n")}`),
        ),
      timeoutMs,
    );
    const onLine = (line: string) => {
      if (pattern.test(line)) finish(undefined, line);
    };
    const onExit = (code: number | null) =>
      finish(
        new Error(`exited with ${code} before a line matching ${pattern}; last lines:\n${recent.join("\n")}`),
      );
    lines.on("line", onLine);
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
