import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { releaseAfterFile, releaseOnExit } from "./fileTeardown.js";
import {
  freePort,
  startPrivatePostgres as startPostgres,
  startPrivateRedis as startRedis,
} from "../chaos/lib/servers.mjs";
import { signalPidFile } from "./runScope.js";

// Private PostgreSQL and Redis servers, for tests that kill them: the shared ones serve every
// other test file running at the same time and must never go down. The servers themselves are
// chaos/lib/servers.mjs (`npm run chaos` uses them too); this ties each to a test file: it lives in
// the run's folder with a pid file, is stopped after its file or when the test process exits, and
// whatever is still there at the end of the run is stopped and reported by the run's teardown
// (test/globalSetup.ts).

export { freePort };

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
  let pidFile = "";
  const server = await startRedis({
    pidFileFor: (port) => (pidFile = join(inject("testRunDirectory"), `redis-${port}.pid`)),
  });
  const forgetAtExit = releaseOnExit(() => signalPidFile(pidFile, "SIGKILL"));
  releaseAfterFile(async () => {
    await server.crash();
    rmSync(pidFile, { force: true });
    forgetAtExit();
  });
  return { port: server.port, url: server.url, kill: () => server.crash(), start: () => server.start() };
}

/** A throwaway PostgreSQL cluster (trust auth) on a free port, from the installed server binaries. */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const dir = mkdtempSync(join(inject("testRunDirectory"), "pg-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // SIGQUIT is PostgreSQL's immediate shutdown: every connection drops at once, as in a crash, but
  // the shared memory is released so the server can start again on its data.
  const forgetAtExit = releaseOnExit(() => {
    signalPidFile(join(dir, "data", "postmaster.pid"), "SIGQUIT");
    removeDir();
  });
  const server = await startPostgres({ dir });
  releaseAfterFile(async () => {
    await server.crash();
    removeDir();
    forgetAtExit();
  });
  return { port: server.port, url: server.url, kill: () => server.crash(), start: () => server.start() };
}
