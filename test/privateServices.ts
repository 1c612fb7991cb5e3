import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { inject } from "vitest";
import { releaseAfterFile, releaseOnExit } from "./fileTeardown.js";
import { waitForExit, waitForLine } from "./processes.js";
import { signalPidFile } from "./runScope.js";

// Private PostgreSQL and Redis servers, for tests that kill them: the shared ones serve every
// other test file running at the same time and must never go down. Each lives in the run's folder
// with a pid file, is stopped after its file or when the test process exits, and whatever is still
// there at the end of the run is stopped and reported by the run's teardown (test/globalSetup.ts).

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });
}

export interface PrivateServer {
  port: number;
  url: string;
  /** Kills the server outright (SIGKILL), as a crash or a lost host would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (Redis comes back empty; PostgreSQL keeps its data). */
  start(): Promise<void>;
}

/** A redis-server on a free port, keeping nothing on disk. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const pidFile = join(inject("testRunDirectory"), `redis-${port}.pid`);
  let child: ChildProcess | undefined;
  const server: PrivateServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`);
      await waitForLine(child, /Ready to accept connections/, 10_000);
    },
    async kill() {
      child?.kill("SIGKILL");
      if (child) await waitForExit(child);
    },
  };
  const forgetAtExit = releaseOnExit(() => signalPidFile(pidFile, "SIGKILL"));
  releaseAfterFile(async () => {
    await server.kill();
    rmSync(pidFile, { force: true });
    forgetAtExit();
  });
  await server.start();
  return server;
}

function postgresBin(name: string): string {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  return `/usr/lib/postgresql/${versions[0]}/bin/${name}`;
}

/** PostgreSQL refuses to run as root; as root, run it as the postgres user the package created. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

/** A throwaway PostgreSQL cluster (trust auth) on a free port, from the installed server binaries. */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(inject("testRunDirectory"), "pg-"));
  if (process.getuid?.() === 0) chownSync(dir, ...postgresIds());
  const data = join(dir, "data");
  const pidFile = join(data, "postmaster.pid");
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
  let child: ChildProcess | undefined;
  const server: PrivateServer = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/hotbeat`,
    async start() {
      const [cmd, args] = asPostgresUser(postgresBin("postgres"), [
        "-D",
        data,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
      ]);
      child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
      await waitForLine(child, /ready to accept connections/, 20_000);
    },
    async kill() {
      // SIGQUIT is PostgreSQL's immediate shutdown: every connection drops at once, as in a
      // crash, but the shared memory is released so the server can start again on its data.
      // The postmaster's own pid, since the child may be runuser rather than postgres itself.
      signalPidFile(pidFile, "SIGQUIT");
      if (child) await waitForExit(child);
    },
  };
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const forgetAtExit = releaseOnExit(() => {
    signalPidFile(pidFile, "SIGQUIT");
    removeDir();
  });
  releaseAfterFile(async () => {
    await server.kill();
    removeDir();
    forgetAtExit();
  });
  await server.start();
  return server;
}

function postgresIds(): [number, number] {
  const uid = Number(spawnSync("id", ["-u", "postgres"]).stdout.toString().trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString().trim());
  return [uid, gid];
}
