import { spawn, spawnSync } from "node:child_process";
import { chownSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";

// Private PostgreSQL and Redis servers, for what kills them on purpose: `npm run chaos` and the
// tests (through test/privateServices.ts, which ties each to a test file). The machine's own
// servers serve everything else and must never go down. Plain JavaScript so that the chaos suite
// runs it with node alone; the types are in servers.d.mts.

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });
}

/**
 * Reads the child's output for its whole life (a pipe nobody drains blocks the server once 64 KiB
 * are buffered) and resolves on the first line matching `pattern`; rejects if the child exits first
 * or `timeoutMs` passes, with its last lines.
 */
function waitForReady(child, pattern, timeoutMs, onLine) {
  const recent = [];
  let matched;
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${recent.join("\n")}`)),
      timeoutMs,
    );
    matched = (line) => {
      if (!pattern.test(line)) return;
      clearTimeout(timer);
      resolve();
    };
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}:\n${recent.join("\n")}`));
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      onLine?.(line);
      matched(line);
    });
  }
  return ready;
}

/** Resolves once the child has exited. */
function waitForExit(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

const isRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root; as root, run it as the postgres user the package created. */
function asPostgresUser(command, args) {
  return isRoot() ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

function postgresBin(name) {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("no PostgreSQL server binaries in /usr/lib/postgresql");
  return `/usr/lib/postgresql/${versions[0]}/bin/${name}`;
}

function postgresIds() {
  const uid = Number(spawnSync("id", ["-u", "postgres"]).stdout.toString().trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString().trim());
  return [uid, gid];
}

/** Signals the pid written on the first line of `file`, if that process is alive. */
function signalPidFile(file, signal) {
  let pid;
  try {
    pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  } catch (error) {
    if (error.code === "ENOENT") return false;
    throw error;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if (error.code === "ESRCH") return false;
    throw error;
  }
}

const isAlive = (child) => child !== undefined && child.exitCode === null && child.signalCode === null;

/**
 * A throwaway PostgreSQL cluster (trust auth, fsync off) in `dir`, which the postgres user must be
 * able to enter, on a free port. `crash()` is an immediate shutdown (SIGQUIT to the postmaster, by
 * its pid file, since the child may be runuser): every connection drops at once, the shared memory
 * is released, and the next `start()` replays the WAL on the same data, as after a crash.
 */
export async function startPrivatePostgres({ dir, maxConnections = 100, onLine }) {
  const port = await freePort();
  if (isRoot()) chownSync(dir, ...postgresIds());
  const data = join(dir, "data");
  const [initCmd, initArgs] = asPostgresUser(postgresBin("initdb"), [
    ...["-D", data, "-A", "trust", "-U", "postgres"],
    // A throwaway cluster (the server runs with fsync off too): no waiting for the disk.
    "--no-sync",
  ]);
  const init = spawnSync(initCmd, initArgs, { stdio: "pipe" });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.toString()}`);
  const pidFile = join(data, "postmaster.pid");
  let child;
  const server = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/hotbeat`,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pidFile,
    isRunning: () => isAlive(child),
    async start() {
      const [cmd, args] = asPostgresUser(postgresBin("postgres"), [
        ...["-D", data, "-p", String(port), "-k", dir],
        ...["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
        ...["-c", `max_connections=${maxConnections}`],
      ]);
      child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
      await waitForReady(child, /ready to accept connections/, 30_000, onLine);
    },
    crashSync() {
      if (!signalPidFile(pidFile, "SIGQUIT") && isAlive(child)) child.kill("SIGKILL");
    },
    async crash() {
      server.crashSync();
      await waitForExit(child);
    },
  };
  await server.start();
  return server;
}

/**
 * A redis-server on a free port that keeps nothing on disk: a crash loses everything. With
 * `pidFileFor`, its pid is written at each start to the file it names for the port, for a
 * sweeper that outlives this process.
 */
export async function startPrivateRedis({ pidFileFor, onLine } = {}) {
  const port = await freePort();
  const pidFile = pidFileFor?.(port);
  let child;
  const server = {
    port,
    url: `redis://127.0.0.1:${port}`,
    isRunning: () => isAlive(child),
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      if (pidFile && child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`);
      await waitForReady(child, /Ready to accept connections/, 10_000, onLine);
    },
    crashSync() {
      if (isAlive(child)) child.kill("SIGKILL");
    },
    async crash() {
      server.crashSync();
      await waitForExit(child);
    },
  };
  await server.start();
  return server;
}
