import { spawn, spawnSync } from "node:child_process";
import { chownSync, readdirSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { waitForExit, waitForLine } from "./processes.mjs";

// Private PostgreSQL and Redis servers, which the suite crashes on purpose: the machine's own
// servers are never touched.

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

/**
 * A throwaway PostgreSQL cluster (trust auth, fsync off) in `dir`, on a free port. `crash()` is an
 * immediate shutdown: every connection drops at once and the next start replays the WAL, as after
 * a crash.
 */
export async function startPrivatePostgres(dir, onLine) {
  const port = await freePort();
  if (isRoot()) chownSync(dir, ...postgresIds());
  const data = join(dir, "data");
  const [initCmd, initArgs] = asPostgresUser(postgresBin("initdb"), [
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "postgres",
    // A throwaway cluster (the server runs with fsync off too): no waiting for the disk.
    "--no-sync",
  ]);
  const init = spawnSync(initCmd, initArgs, { stdio: "pipe" });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.toString()}`);
  let child;
  const server = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/hotbeat`,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      const [cmd, args] = asPostgresUser(postgresBin("postgres"), [
        ...["-D", data, "-p", String(port), "-k", dir],
        ...["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
      ]);
      child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
      await waitForLine(child, /ready to accept connections/, 30_000, onLine);
    },
    /** Immediate shutdown by pg_ctl, which signals this cluster's postmaster by its pid file. */
    crashSync() {
      const [cmd, args] = asPostgresUser(postgresBin("pg_ctl"), ["-D", data, "stop", "-m", "immediate"]);
      const stop = spawnSync(cmd, args, { stdio: "pipe" });
      if (stop.status !== 0) child.kill("SIGKILL");
    },
    async crash() {
      if (!server.isRunning()) return;
      server.crashSync();
      await waitForExit(child);
    },
  };
  await server.start();
  return server;
}

/** A redis-server on a free port that keeps nothing on disk: a kill loses the whole queue. */
export async function startPrivateRedis(onLine) {
  const port = await freePort();
  let child;
  const server = {
    port,
    url: `redis://127.0.0.1:${port}`,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      await waitForLine(child, /Ready to accept connections/, 10_000, onLine);
    },
    crashSync: () => child.kill("SIGKILL"),
    async crash() {
      if (!server.isRunning()) return;
      child.kill("SIGKILL");
      await waitForExit(child);
    },
  };
  await server.start();
  return server;
}
