import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { createWriteStream } from "node:fs";
import { createInterface } from "node:readline";

const trackers = new WeakMap();

/**
 * Reads a child's stdout and stderr line by line for its whole life (a pipe nobody drains blocks
 * the child once 64 KiB are buffered), keeping the last lines for error messages and handing
 * every line to `onLine`.
 */
export function trackOutput(child, onLine) {
  let tracker = trackers.get(child);
  if (tracker) return tracker;
  tracker = { lines: new EventEmitter(), recent: [] };
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      tracker.recent.push(line);
      if (tracker.recent.length > 30) tracker.recent.shift();
      onLine?.(line);
      tracker.lines.emit("line", line);
    });
  }
  trackers.set(child, tracker);
  return tracker;
}

/** Resolves with the first line the child prints that matches; rejects if it exits first. */
export function waitForLine(child, pattern, timeoutMs, onLine) {
  const { lines, recent } = trackOutput(child, onLine);
  return new Promise((resolve, reject) => {
    const finish = (error, line) => {
      clearTimeout(timer);
      lines.off("line", onMatch);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(line);
    };
    const timer = setTimeout(
      () => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${recent.join("\n")}`)),
      timeoutMs,
    );
    const onMatch = (line) => {
      if (pattern.test(line)) finish(undefined, line);
    };
    const onExit = (code) =>
      finish(new Error(`exited with ${code} before ${pattern}:\n${recent.join("\n")}`));
    lines.on("line", onMatch);
    child.once("exit", onExit);
  });
}

/** Resolves once the child has exited. */
export function waitForExit(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * A hotbeat process of the deployment (`node packages/<role>/dist/main.js`), its output appended
 * to `logPath` line by line, so the secrets scan reads everything every process ever printed.
 */
export function spawnRole({ entry, env, logPath, cwd }) {
  const log = createWriteStream(logPath, { flags: "a" });
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackOutput(child, (line) => log.write(`${line}\n`));
  child.once("exit", () => log.end());
  return child;
}
