import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { DEFAULT_APPLIED_TIMEOUT_MS } from "../contracts/writeOptions.js";
import { DATABASE_RETRY_AFTER_SECONDS, toErrorBody } from "./errors.js";

/**
 * How long a request that needs PostgreSQL may wait before it is answered 503. Under the 10 s a
 * client commonly waits, with room for the answer to travel.
 */
export const DEFAULT_DATABASE_DEADLINE_MS = 5000;

/**
 * Routes whose work grows with what they are given (an import of thousands of schedules, a
 * backfill of up to 10,000 runs, an export of every schedule): on a healthy database they may
 * take longer than a read, so they get a longer bound, still a bound.
 */
const BULK_URLS = new Set(["/api/v1/import", "/api/v1/export", "/api/v1/schedules/:name/backfill"]);
const BULK_DEADLINE_MS = 60_000;

/** Routes that hold their own clock: the live feed streams for as long as the client listens. */
const UNBOUNDED_URLS = new Set(["/api/v1/events"]);

/** POSTs that save nothing, so a late answer cannot leave a change half known. */
const READ_ONLY_POST_URLS = new Set(["/api/v1/preview"]);

const TIMED_OUT = Symbol("timed out");
const BOUNDED = Symbol("bounded by the database deadline");

type Handler = RouteOptions["handler"] & { [BOUNDED]?: true };

/**
 * Bounds every route that reads or writes PostgreSQL (`/api/...` and `/update_schedule/...`,
 * registered after this call) to `deadlineMs` from the start of its handler, plus the applied
 * wait a write asks for with `?wait=applied`. postgres.js has no per-query timeout, and a
 * connection gone half-open (a partition, a middlebox that drops instead of refusing) neither
 * answers nor fails for minutes, until the operating system's keepalive gives up: without a
 * bound the request would hang past its client's deadline. Past it the request is answered 503
 * with `Retry-After`, as when PostgreSQL refuses connections; the handler's late result, success
 * or failure, is logged and dropped. `/health`, `/ready` (bounded by its own probe timeout),
 * `/metrics`, the docs, the UI's files and the live feed are left alone.
 */
export function registerDatabaseDeadline(
  app: FastifyInstance,
  deadlineMs = DEFAULT_DATABASE_DEADLINE_MS,
): void {
  app.addHook("onRoute", (route) => {
    const handler = route.handler as Handler;
    if (!needsDatabase(route.url) || handler[BOUNDED]) return;
    const methods = [route.method].flat();
    const isWrite =
      methods.some((method) => !["GET", "HEAD", "OPTIONS"].includes(method)) &&
      !READ_ONLY_POST_URLS.has(route.url);
    const bounded: Handler = function (this: FastifyInstance, request, reply) {
      return runWithinDeadline(() => handler.call(this, request, reply), request, reply, {
        deadlineMs:
          (BULK_URLS.has(route.url) ? Math.max(deadlineMs, BULK_DEADLINE_MS) : deadlineMs) +
          readAppliedWaitMs(request),
        isWrite,
      });
    };
    bounded[BOUNDED] = true;
    route.handler = bounded;
  });
}

function needsDatabase(url: string): boolean {
  return (url.startsWith("/api/") || url.startsWith("/update_schedule")) && !UNBOUNDED_URLS.has(url);
}

/** A write with `?wait=applied` may spend its `timeoutMs` waiting for schedulers, not for PostgreSQL. */
function readAppliedWaitMs(request: FastifyRequest): number {
  const query = request.query as { wait?: unknown; timeoutMs?: unknown } | undefined;
  if (query?.wait !== "applied") return 0;
  return typeof query.timeoutMs === "number" ? query.timeoutMs : DEFAULT_APPLIED_TIMEOUT_MS;
}

async function runWithinDeadline(
  run: () => unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { deadlineMs: number; isWrite: boolean },
): Promise<unknown> {
  const work = Promise.resolve().then(run);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), options.deadlineMs);
  });
  let outcome: unknown;
  try {
    outcome = await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
  if (outcome !== TIMED_OUT) return outcome;
  // The handler may have answered through `reply.send` and be busy after it (a log, a metric).
  if (reply.sent) return undefined;
  sendDeadlinePassed(request, reply, options);
  void work.then(
    () => request.log.info({ reqId: request.id }, "answered after the database deadline; dropped"),
    (error: unknown) =>
      request.log.warn({ err: error, reqId: request.id }, "failed after the database deadline; dropped"),
  );
  return reply;
}

function sendDeadlinePassed(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { deadlineMs: number; isWrite: boolean },
): void {
  const where = { method: request.method, url: request.url, reqId: request.id };
  request.log.warn({ ...where, deadlineMs: options.deadlineMs }, "database deadline passed");
  const message = options.isWrite
    ? `PostgreSQL did not answer within ${options.deadlineMs} ms: the change may or may not have been saved; read it (its version) before retrying`
    : `PostgreSQL did not answer within ${options.deadlineMs} ms; retry later`;
  reply
    .code(503)
    .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
    .send(toErrorBody("unavailable", message));
  // The handler still runs and may answer through `reply.send` once PostgreSQL answers or the
  // connection fails; Fastify would log each such second answer as a mistake. From here on this
  // reply has said all it will.
  reply.send = () => reply;
}
