import type { AddressInfo } from "node:net";
import { RUNS_QUEUE } from "@hotbeat/shared";
import { Queue } from "bullmq";
import { afterAll } from "vitest";
import { createTestDatabase, createTestRedis, testLogger, uniqueId } from "../../../test/helpers.js";
import { buildApp } from "../../api/src/app.js";
import { main } from "../src/run.js";

export interface TestServer {
  url: string;
}

/**
 * The real API on a fresh database, listening on an ephemeral loopback port, closed after the
 * file. No scheduler: a trigger records a run and enqueues it, which stays queued.
 */
export async function startTestServer(options: { apiToken?: string } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const namespace = uniqueId("ns");
  const queue = new Queue(RUNS_QUEUE, { connection: createTestRedis(), prefix: namespace });
  const app = await buildApp({
    db: database,
    redis,
    queue,
    log: testLogger(),
    config: { apiToken: options.apiToken, redisNamespace: namespace, defaultTimezone: "UTC" },
    rateLimit: { max: 10_000, timeWindowMs: 60_000 },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  afterAll(async () => {
    await app.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}` };
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
