import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

// Everything one `vitest run` creates outside its own memory (test databases, private servers and
// their folders) carries the run's id, so the run can remove exactly its own leftovers, and a later
// run can remove those of a run that died, without touching anything of a run still going.

const RUN_DIR_PREFIX = "hotbeat-run-";

/** A new run id; it embeds the pid of the process that owns the run, to tell dead runs apart. */
export function createRunId(): string {
  return `r${process.pid}_${randomBytes(3).toString("hex")}`;
}

/** The prefix of every test database cloned during the run `runId`. */
export const testDatabasePrefix = (runId: string): string => `hotbeat_test_${runId}_`;

/** The name of the run's migrated template database. */
export const templateDatabaseName = (runId: string): string => `hotbeat_tpl_${runId}`;

/** The folder that holds the run's private servers (their data and pid files). */
export const runDirectory = (runId: string): string => join(tmpdir(), `${RUN_DIR_PREFIX}${runId}`);

/** Creates the run's folder, traversable by the postgres user that private clusters run as. */
export function createRunDirectory(runId: string): string {
  const dir = runDirectory(runId);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}

/** True when a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in the first line of a pid file (PostgreSQL's postmaster.pid or a redis pid file). */
export function readPidFile(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Signals the process of a pid file when it is alive; true when there was one to stop. */
export function signalPidFile(file: string, signal: NodeJS.Signals): boolean {
  const pid = readPidFile(file);
  if (pid === undefined || !isProcessAlive(pid)) return false;
  process.kill(pid, signal);
  return true;
}

/** Stops every private server recorded in a run folder and removes the folder; lists what it found. */
export async function sweepRunDirectory(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    // SIGQUIT is PostgreSQL's immediate shutdown; redis-server keeps nothing worth a clean stop.
    const pidFile = entry.startsWith("pg-") ? join(path, "data", "postmaster.pid") : path;
    const pid = readPidFile(pidFile);
    if (signalPidFile(pidFile, entry.startsWith("pg-") ? "SIGQUIT" : "SIGKILL")) {
      found.push(`a running private server (${entry}, pid ${pid})`);
      await waitForDeath(pid!);
    }
    found.push(`the private server files ${path}`);
  }
  rmSync(dir, { recursive: true, force: true });
  return found;
}

async function waitForDeath(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
}

/** Drops every database whose name starts with one of `prefixes`; returns the names it dropped. */
export async function dropDatabasesByPrefix(adminUrl: string, prefixes: string[]): Promise<string[]> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await admin<{ datname: string }[]>`
      SELECT datname FROM pg_database
      WHERE EXISTS (SELECT 1 FROM unnest(${prefixes}::text[]) AS p WHERE starts_with(datname, p))
      ORDER BY datname`;
    for (const { datname } of rows) {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

const RUN_ID_IN_NAME = /^(?:hotbeat_(?:test|tpl)_|hotbeat-run-)(r(\d+)_[0-9a-f]{6})/;

/**
 * Removes what runs that are no longer alive left behind: their databases and their servers. A run
 * whose process died (a crash, a kill -9) never got to its own teardown.
 */
export async function sweepDeadRuns(adminUrl: string): Promise<string[]> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  let names: string[];
  try {
    names = (await admin<{ datname: string }[]>`SELECT datname FROM pg_database`).map((r) => r.datname);
  } finally {
    await admin.end();
  }
  const deadRunIds = new Set<string>();
  for (const name of [...names, ...readdirSync(tmpdir())]) {
    const match = RUN_ID_IN_NAME.exec(name);
    if (match && Number(match[2]) !== process.pid && !isProcessAlive(Number(match[2])))
      deadRunIds.add(match[1]!);
  }
  const found: string[] = [];
  for (const runId of deadRunIds) {
    found.push(...(await sweepRunDirectory(runDirectory(runId))));
    const dropped = await dropDatabasesByPrefix(adminUrl, [
      testDatabasePrefix(runId),
      templateDatabaseName(runId),
    ]);
    found.push(...dropped.map((name) => `the database ${name}`));
  }
  return found;
}
