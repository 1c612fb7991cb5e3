import http from "node:http";
import { wallNowMs } from "./apiClient.mjs";
import { createRandom, generateRequest } from "./fuzzRequests.mjs";

/** The API's default body limit (app.ts): what is larger is refused with 413 before it is read. */
const API_BODY_LIMIT_BYTES = 256 * 1024;
/** How a request over the body limit is counted when the close came before the 413 was read. */
const CLOSED_OVER_LIMIT = "413 or closed (body over limit)";

/**
 * Sends `count` hostile requests to an API that has no token, spread over many loopback source
 * addresses (the write limit counts per address), `concurrency` at a time. Returns counts by
 * status, every 5xx and hang, and every write that was accepted.
 */
export async function runFuzz({
  url,
  token,
  count,
  seed,
  targets,
  concurrency = 8,
  progress = () => undefined,
}) {
  const r = createRandom(seed);
  const { hostname, port } = new URL(url);
  const isLoopback = hostname === "127.0.0.1" || hostname === "localhost";
  const agents = Array.from({ length: 200 }, () => new http.Agent({ keepAlive: true, maxSockets: 2 }));
  const statuses = {};
  const serverErrors = [];
  const accepted = [];
  const slow = [];
  let clientRefused = 0;
  let maxLatencyMs = 0;
  let sent = 0;
  async function one(i) {
    const request = generateRequest(r, targets);
    if (token) request.headers.authorization = `Bearer ${token}`;
    const sentAtMs = wallNowMs();
    let answer;
    try {
      answer = await send(
        {
          hostname,
          port,
          localAddress: isLoopback ? `127.0.0.${(i % agents.length) + 2}` : undefined,
          agent: agents[i % agents.length],
        },
        request,
      );
    } catch (error) {
      if (
        error?.code === "ERR_INVALID_CHAR" ||
        error?.code === "ERR_UNESCAPED_CHARACTERS" ||
        error instanceof TypeError
      ) {
        clientRefused += 1;
        return;
      }
      answer = { status: error?.code ?? "error", text: String(error?.message ?? error) };
      // The API answers 413 from the Content-Length alone and closes the connection; a client
      // still writing the rest of the body may get EPIPE or a reset before it reads that answer.
      // That is TCP's race, not a failure, but only for a body the API must refuse by its size.
      const isOverLimit = Buffer.byteLength(request.body ?? "") > API_BODY_LIMIT_BYTES;
      if (isOverLimit && (error?.code === "EPIPE" || error?.code === "ECONNRESET"))
        answer = { status: CLOSED_OVER_LIMIT, text: answer.text };
    }
    const latencyMs = wallNowMs() - sentAtMs;
    maxLatencyMs = Math.max(maxLatencyMs, latencyMs);
    const { status, text } = answer;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (latencyMs > 2000) slow.push({ ...describe(request), status, latencyMs: Math.round(latencyMs) });
    if (status !== CLOSED_OVER_LIMIT && (typeof status !== "number" || status >= 500)) {
      serverErrors.push({ ...describe(request), status, answer: text.slice(0, 300) });
      if (typeof status !== "number")
        progress(`fuzz: ${request.method} ${request.path.slice(0, 80)} → ${status}`);
    } else if (status < 300 && isWrite(request))
      accepted.push({
        ...describe(request),
        fullBody: request.body?.slice(0, 20_000),
        status,
        answer: text.slice(0, 200),
      });
  }
  const lanes = Array.from({ length: concurrency }, async () => {
    while (sent < count) {
      const i = sent++;
      if (i % 500 === 0) progress(`fuzz: ${i} of ${count} sent`);
      await one(i);
    }
  });
  await Promise.all(lanes);
  for (const agent of agents) agent.destroy();
  return {
    count,
    seed,
    statuses,
    serverErrors,
    accepted,
    slow: slow.slice(0, 20),
    clientRefused,
    maxLatencyMs: Math.round(maxLatencyMs),
  };
}

const isWrite = (request) =>
  !["GET", "HEAD", "OPTIONS"].includes(request.method) &&
  !request.path.includes("preview") &&
  !request.path.includes("dryRun");

/**
 * One request from its own loopback address. The answer counts once its head is in: a server
 * that answers early (413 before the whole body) may close the socket under the rest.
 */
function send(target, request) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.request(
      { ...target, method: request.method, path: request.path, headers: request.headers, timeout: 20_000 },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          settled = true;
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", () => {
          settled = true;
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("no answer within 20 s"), { code: "hang" })));
    req.on("error", (error) => {
      if (!settled) reject(error);
    });
    req.end(request.body);
  });
}

function describe(request) {
  return { method: request.method, path: request.path.slice(0, 120), body: request.body?.slice(0, 160) };
}
