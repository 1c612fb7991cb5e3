import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createHttpTask, createTaskRegistry, type RunFinishedEvent, type RunWorker } from "../src/index.js";
import { startTestServer, type TestServer } from "./httpServer.js";
import { createHarness, nextEvent, type Harness } from "./support.js";

let h: Harness;
let server: TestServer;
/** Hosts a socket was asked to connect to that are not loopback: must stay empty. */
const remoteConnectAttempts: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  server = await startTestServer();
  // Every TCP or TLS socket goes through Socket.prototype.connect. Refusing non-loopback targets
  // here means this file never sends a packet off the machine, even if the guard had a bug.
  const original = net.Socket.prototype.connect;
  vi.spyOn(net.Socket.prototype, "connect").mockImplementation(function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    const first = Array.isArray(args[0]) ? (args[0][0] as unknown) : args[0];
    const host = typeof first === "object" && first !== null ? (first as { host?: string }).host : undefined;
    if (host && !["127.0.0.1", "localhost", "::1"].includes(host)) {
      remoteConnectAttempts.push(host);
      throw new Error(`test refuses to connect to ${host}`);
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  });
});
afterAll(() => {
  vi.restoreAllMocks();
});
beforeEach(async () => {
  await h.useNamespace();
  server.connections = 0;
  server.requests.length = 0;
  server.handle((_req, res) => res.end("ok"));
  remoteConnectAttempts.length = 0;
});

function startHttpWorker(allow: string[], maxResponseBytes?: number): RunWorker {
  const http = createHttpTask({
    allow,
    retries: { attempts: 3, backoffMs: 50 },
    ...(maxResponseBytes ? { maxResponseBytes } : {}),
  });
  return h.startWorker({ registry: createTaskRegistry().register(http) });
}

async function runHttp(
  worker: RunWorker,
  payload: unknown,
): Promise<{ event: RunFinishedEvent; runId: string }> {
  const run = await h.insertRun("http", payload, { scheduledAt: new Date("2026-03-01T02:15:00.000Z") });
  const finished = nextEvent(worker, "finished", (e) => e.runId === run.id);
  await h.enqueue(run);
  return { event: await finished, runId: run.id };
}

describe("the http task", () => {
  it("calls an allowed local server with the idempotency key, schedule and fire instant headers", async () => {
    const worker = startHttpWorker(["127.0.0.1"]);
    const { event, runId } = await runHttp(worker, {
      method: "post",
      url: `${server.url}/hook?token=abc`,
      headers: { Authorization: "Bearer s3cret" },
      body: { hello: "world" },
    });
    expect(event.status).toBe("succeeded");
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", url: "/hook?token=abc", body: '{"hello":"world"}' });
    expect(request!.headers).toMatchObject({
      "idempotency-key": runId,
      "x-hotbeat-scheduled-at": "2026-03-01T02:15:00.000Z",
      "content-type": "application/json",
      authorization: "Bearer s3cret",
    });
    expect(request!.headers["x-hotbeat-schedule"]).toMatch(/^sched_/);
    expect(request!.headers["user-agent"]).toMatch(/^hotbeat-worker\//);
    const row = await h.readRun(runId);
    expect(row.result).toMatchObject({
      status: 200,
      url: `${server.url}/hook`,
      redirects: 0,
      bodyPreview: "ok",
    });
  });

  it.each([
    ["127.0.0.1", () => `${server.url}/`],
    ["localhost", () => `http://localhost:${server.port}/`],
    ["[::1]", () => `http://[::1]:${server.port}/`],
    ["::ffff:127.0.0.1", () => `http://[::ffff:127.0.0.1]:${server.port}/`],
    ["::ffff:7f00:1", () => `http://[::ffff:7f00:1]:${server.port}/`],
    ["2130706433 (decimal)", () => `http://2130706433:${server.port}/`],
    ["0177.0.0.1 (octal)", () => `http://0177.0.0.1:${server.port}/`],
    ["0x7f.1 (hex, short)", () => `http://0x7f.1:${server.port}/`],
  ])("refuses %s without the allow list and opens no connection", async (_name, url) => {
    const worker = startHttpWorker([]);
    const { event } = await runHttp(worker, { url: url() });
    expect(event).toMatchObject({ status: "failed", attempt: 1 });
    expect(event.error).toMatch(/refused to connect to .*loopback address/);
    expect(server.connections).toBe(0);
  });

  it.each([
    ["10.0.0.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["[fd00::1]", "uniqueLocal"],
  ])("refuses %s before any socket is opened", async (host, range) => {
    const worker = startHttpWorker([]);
    const { event } = await runHttp(worker, { url: `http://${host}/latest/meta-data/` });
    expect(event.status).toBe("failed");
    expect(event.error).toContain(`${range} address`);
    expect(remoteConnectAttempts).toEqual([]);
  });

  it("refuses a redirect from an allowed host to a forbidden one", async () => {
    server.handle((_req, res) =>
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    );
    const worker = startHttpWorker(["127.0.0.1"]);
    const { event } = await runHttp(worker, { url: `${server.url}/start` });
    expect(event.status).toBe("failed");
    expect(event.error).toContain("refused to connect to 169.254.169.254");
    expect(server.requests).toHaveLength(1);
    expect(remoteConnectAttempts).toEqual([]);
  });

  it("follows an allowed redirect, dropping the body after a 303, and stops after five", async () => {
    server.handle((req, res, index) => {
      if (req.url === "/loop") return void res.writeHead(307, { location: "/loop" }).end();
      if (index === 0) return void res.writeHead(303, { location: "/done" }).end();
      res.end("arrived");
    });
    const worker = startHttpWorker(["127.0.0.1"]);
    const followed = await runHttp(worker, { method: "POST", url: `${server.url}/go`, body: "x" });
    expect(followed.event.status).toBe("succeeded");
    expect(server.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "/go", "x"],
      ["GET", "/done", ""],
    ]);
    const looped = await runHttp(worker, { url: `${server.url}/loop` });
    expect(looped.event).toMatchObject({ status: "failed", attempt: 1 });
    expect(looped.event.error).toContain("more than 5 redirects");
  });

  it("retries a 503 after the Retry-After it asked for, then succeeds with the same idempotency key", async () => {
    server.handle((_req, res, index) => {
      if (index === 0) return void res.writeHead(503, { "retry-after": "1" }).end("busy");
      res.end("fine");
    });
    const worker = startHttpWorker(["127.0.0.1"]);
    const retrying = nextEvent(worker, "retrying");
    const { event, runId } = await runHttp(worker, { url: server.url });
    expect(await retrying).toMatchObject({ retryInMs: 1000, error: expect.stringContaining("answered 503") });
    expect(event).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(server.requests.map((r) => r.headers["idempotency-key"])).toEqual([runId, runId]);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("fails without retrying on a 404 or an unexpected status, and accepts an expected one", async () => {
    server.handle((req, res) => res.writeHead(req.url === "/gone" ? 404 : 202).end());
    const worker = startHttpWorker(["127.0.0.1"]);
    const gone = await runHttp(worker, { url: `${server.url}/gone` });
    expect(gone.event).toMatchObject({ status: "failed", attempt: 1 });
    expect(gone.event.error).toContain("answered 404, expected 2xx");
    const strict = await runHttp(worker, { url: `${server.url}/x`, expectStatus: 200 });
    expect(strict.event.error).toContain("answered 202, expected 200");
    const listed = await runHttp(worker, { url: `${server.url}/x`, expectStatus: [200, 202] });
    expect(listed.event.status).toBe("succeeded");
  });

  it("aborts a response larger than the cap", async () => {
    server.handle((_req, res) => {
      res.write("a".repeat(3000));
      res.end("b".repeat(3000));
    });
    const worker = startHttpWorker(["127.0.0.1"], 4096);
    const { event } = await runHttp(worker, { url: server.url });
    expect(event).toMatchObject({ status: "failed", attempt: 1 });
    expect(event.error).toContain("response larger than 4096 bytes");
  });

  it("gives up on a server that does not answer within the payload's timeout", async () => {
    server.handle(() => undefined);
    const worker = h.startWorker({
      registry: createTaskRegistry().register(
        createHttpTask({ allow: ["127.0.0.1"], retries: { attempts: 1, backoffMs: 0 } }),
      ),
    });
    const { event } = await runHttp(worker, { url: server.url, timeoutMs: 200 });
    expect(event.status).toBe("failed");
    expect(event.error).toContain("within 200 ms");
  });

  it("fails a bad payload at once with a message naming the field", async () => {
    const worker = startHttpWorker(["127.0.0.1"]);
    const { event } = await runHttp(worker, { url: "ftp://example.com/file", method: "FETCH" });
    expect(event).toMatchObject({ status: "failed", attempt: 1 });
    expect(event.error).toContain("payload.url: must be an http:// or https:// URL");
    expect(event.error).toContain("payload.method:");
    expect(server.connections).toBe(0);
  });
});
