import { EventEmitter } from "node:events";
import net from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../../../test/helpers.js";
import { createHttpTask, createTaskRegistry, type RunWorker } from "../src/index.js";
import { startTestServer, type TestServer } from "./httpServer.js";
import { createHarness, nextEvent, type Harness } from "./support.js";

const SECRETS = {
  authorization: "s3cr3t-bearer-9f2c",
  cookie: "s3cr3t-cookie-41d7",
  apiKey: "s3cr3t-key-77a1",
  token: "s3cr3t-token-c0de",
  urlPassword: "s3cr3t-urlpw-5e5e",
};
const secretHeaders = {
  Authorization: `Bearer ${SECRETS.authorization}`,
  Cookie: `session=${SECRETS.cookie}`,
  "X-Api-Key": SECRETS.apiKey,
  "X-Auth-Token": SECRETS.token,
};

let h: Harness;
let server: TestServer;
let closedPort: number;
/** Every line the worker logged in the current test, at every level. */
const lines: string[] = [];
const logged = new EventEmitter<{ line: [string] }>();

function createCapturingLogger() {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        lines.push(line);
        logged.emit("line", line);
      }
      done();
    },
  });
  return pino({ level: "trace" }, stream);
}

function nextLogLine(predicate: (line: string) => boolean): Promise<string> {
  return waitFor<string>(
    (listener) => {
      logged.on("line", listener);
      return () => logged.off("line", listener);
    },
    predicate,
    10_000,
  );
}

beforeAll(async () => {
  h = await createHarness();
  server = await startTestServer();
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
beforeEach(async () => {
  await h.useNamespace();
  lines.length = 0;
  // The target echoes what it received, so the secrets also travel in the run's result.
  server.handle((req, res) => res.end(JSON.stringify(req.headers)));
});
afterEach(async () => {
  await h.t.sql`DROP TRIGGER IF EXISTS refuse_success ON runs`;
  const text = lines.join("\n");
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
});

function startLoggedWorker(options: { finishRetryMs?: number } = {}): RunWorker {
  const http = createHttpTask({ allow: ["127.0.0.1"], retries: { attempts: 2, backoffMs: 10 } });
  return h.startWorker({
    registry: createTaskRegistry().register(http),
    log: createCapturingLogger(),
    ...options,
  });
}

async function runHttp(worker: RunWorker, url: string): Promise<string> {
  const run = await h.insertRun("http", { url, headers: secretHeaders });
  const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
  await h.enqueue(run);
  await finished;
  return run.id;
}

async function refuseSuccessWith(sqlState: string): Promise<void> {
  await h.t.sql.unsafe(`
    CREATE OR REPLACE FUNCTION refuse_success() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'succeeded' AND NEW.result::text LIKE '%s3cr3t%' THEN
        RAISE EXCEPTION 'refused' USING ERRCODE = '${sqlState}';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_success BEFORE UPDATE ON runs FOR EACH ROW EXECUTE FUNCTION refuse_success();`);
}

const withPassword = (base: string) => base.replace("http://", `http://hook:${SECRETS.urlPassword}@`);

describe("the worker's log lines", () => {
  it("hold no header secret or URL password when the target cannot be reached", async () => {
    const worker = startLoggedWorker();
    await runHttp(worker, withPassword(`http://127.0.0.1:${closedPort}/hook`));
    expect(lines.some((line) => line.includes("attempt failed; will retry"))).toBe(true);
  });

  it("hold no header secret or URL password when the target answers 500, then 404", async () => {
    const worker = startLoggedWorker();
    server.handle((_req, res) => res.writeHead(500).end("down"));
    await runHttp(worker, withPassword(`${server.url}/hook`));
    server.handle((_req, res) => res.writeHead(404).end("gone"));
    await runHttp(worker, withPassword(`${server.url}/hook`));
    expect(lines.filter((line) => line.includes('"msg":"run failed"'))).toHaveLength(2);
  });

  it("hold no secret a failed ledger write carried in its bound parameters", async () => {
    await refuseSuccessWith("P0001");
    const worker = startLoggedWorker({ finishRetryMs: 300 });
    const run = await h.insertRun("http", {
      url: withPassword(`${server.url}/echo`),
      headers: secretHeaders,
    });
    const unavailable = nextLogLine((line) => line.includes("the run ledger is unavailable"));
    await h.enqueue(run);
    await unavailable;
    expect(lines.some((line) => line.includes("params: [not logged]"))).toBe(true);
    await worker.close({ graceMs: 0 });
  });

  it("hold no secret when PostgreSQL refuses the result for its content", async () => {
    await refuseSuccessWith("23514");
    const worker = startLoggedWorker();
    const runId = await runHttp(worker, withPassword(`${server.url}/echo`));
    expect(await h.readRun(runId)).toMatchObject({ status: "succeeded" });
    expect(lines.some((line) => line.includes("PostgreSQL refused the outcome's content"))).toBe(true);
  });
});
