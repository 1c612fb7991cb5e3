import { UnrecoverableError } from "bullmq";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHttpTask, createTaskRegistry } from "../src/index.js";
import { startTestServer, type TestServer } from "./httpServer.js";
import { createHarness, nextEvent, type Harness } from "./support.js";

let h: Harness;
let server: TestServer;
beforeAll(async () => {
  h = await createHarness();
  server = await startTestServer();
});
beforeEach(async () => {
  await h.useNamespace();
  server.requests.length = 0;
});

const unsendable: Array<[string, Record<string, string>, string]> = [
  ["a non-Latin-1 value", { "X-Greeting": "hello ☕" }, "X-Greeting"],
  ["a value with a line break", { "X-Split": "a\r\nX-Injected: 1" }, "X-Split"],
  // A NUL cannot reach a run at all: PostgreSQL refuses it in the payload's jsonb.
  ["a value with a control character", { "X-Bell": "a\u0007b" }, "X-Bell"],
  ...[
    "Transfer-Encoding",
    "Connection",
    "Upgrade",
    "TE",
    "Trailer",
    "Expect",
    "Keep-Alive",
    "Proxy-Connection",
    "Host",
    "Content-Length",
  ].map((name): [string, Record<string, string>, string] => [`the ${name} header`, { [name]: "x" }, name]),
];

describe("the http task with a header it cannot send", () => {
  it.each(unsendable)(
    "fails the run for good at its first attempt, naming the header, for %s",
    async (_label, headers, name) => {
      const http = createHttpTask({ allow: ["127.0.0.1"], retries: { attempts: 3, backoffMs: 10 } });
      const worker = h.startWorker({ registry: createTaskRegistry().register(http) });
      const run = await h.insertRun("http", { url: `${server.url}/hook`, headers });
      const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
      const failedInBull = new Promise<Error>((resolve) =>
        worker.onQueueEvent("failed", (job, error) => {
          if (job?.data && (job.data as { runId?: string }).runId === run.id) resolve(error);
        }),
      );
      await h.enqueue(run);
      expect(await finished).toMatchObject({ status: "failed", attempt: 1 });
      expect(await failedInBull).toBeInstanceOf(UnrecoverableError);
      expect(server.requests).toHaveLength(0);
      const row = await h.readRun(run.id);
      expect(row).toMatchObject({ status: "failed", attempt: 1 });
      expect(row.error).toContain(`payload.headers.${name}:`);
    },
  );
});
