import type { AddressInfo } from "node:net";
import { createTestApi, type TestApi } from "../../api/test/testApi.js";
import { main } from "../src/run.js";

export interface TestServer {
  url: string;
  /** The server's database, for what only raw SQL can do (a row the API would refuse). */
  sql: TestApi["database"]["sql"];
}

/**
 * The real API on a fresh database (the API tests' own helper), listening on an ephemeral loopback
 * port, closed after the file. No scheduler: a trigger records a run and enqueues it, which stays
 * queued.
 */
export async function startTestServer(options: { apiToken?: string } = {}): Promise<TestServer> {
  const { app, database } = await createTestApi(options.apiToken ? { apiToken: options.apiToken } : {});
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sql: database.sql };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process against `url`, collecting what it prints. */
export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, env, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Parses the CLI's --json output. */

export const jsonOf = <T = any>(result: CliResult): T => JSON.parse(result.stdout) as T;
