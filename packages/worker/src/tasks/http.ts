import { findUnsendableHeaders, truncateText } from "@hotbeat/shared";
import { z } from "zod";
import { createAddressPolicy } from "../outbound/addressPolicy.js";
import { parseRetryAfter } from "../outbound/parseRetryAfter.js";
import { sendHttpRequest, type HttpReply } from "../outbound/sendHttpRequest.js";
import { describeThrown, isErrorSafely } from "../describeThrown.js";
import { PermanentTaskError, TransientTaskError } from "../taskErrors.js";
import type { RetryPolicy, TaskContext, TaskDefinition } from "../taskRegistry.js";

/** The name schedules use for the built-in `http` task. */
export const HTTP_TASK_NAME = "http";
export const MAX_REDIRECTS = 5;
const MAX_TIMEOUT_MS = 300_000;
const BODY_PREVIEW_CHARS = 1024;
/** Credentials meant for one origin are not handed to the next on a cross-origin redirect, as fetch does. */
const ORIGIN_BOUND_HEADERS = ["authorization", "cookie", "proxy-authorization"];

const statusCode = z.number().int().min(100).max(599);
const isWebUrl = (value: string) =>
  URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol);

/** The payload of an `http` run (README, "Tasks"). */
export const httpTaskPayloadSchema = z.strictObject({
  method: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]))
    .default("GET"),
  url: z.string().refine(isWebUrl, "must be an http:// or https:// URL"),
  headers: z
    .record(z.string(), z.string())
    .superRefine((headers, context) => {
      // The API refuses these at save time with the same function; a run of a row written some
      // other way fails at once instead of retrying a request that can never be sent.
      for (const { name, reason } of findUnsendableHeaders(headers)) {
        context.addIssue({ code: "custom", path: [name], message: reason });
      }
    })
    .default({}),
  /** A string is sent as is; anything else as JSON. */
  body: z.unknown().optional(),
  timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).default(30_000),
  /** The status, or statuses, that count as success; default any 2xx. */
  expectStatus: z.union([statusCode, z.array(statusCode).min(1)]).optional(),
});
export type HttpTaskPayload = z.infer<typeof httpTaskPayloadSchema>;

export interface HttpTaskOptions {
  /** HOTBEAT_HTTP_TASK_ALLOW: hosts or CIDRs reachable although not public. */
  allow: readonly string[];
  /** Default 1 MiB. */
  maxResponseBytes?: number;
  userAgent?: string;
  /** Default 5 attempts from 1 s; a 429 or 503 with Retry-After waits what the server asked. */
  retries?: RetryPolicy;
}

/** What the run records as the result of a successful call. */
export interface HttpTaskResult {
  status: number;
  url: string;
  redirects: number;
  bytes: number;
  bodyPreview: string;
}

/** Origin and path only: query strings and user info often carry tokens, and logs are not secret. */
function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Node's refusals of a request it was asked to build: sending it again cannot help. */
const UNSENDABLE_REQUEST_CODES = new Set([
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_HTTP_INVALID_HEADER_VALUE",
  "ERR_INVALID_ARG_VALUE",
  "ERR_UNESCAPED_CHARACTERS",
]);

function isUnsendableRequestError(error: unknown): boolean {
  const code = isErrorSafely(error) ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && UNSENDABLE_REQUEST_CODES.has(code);
}

function isExpected(status: number, expect: HttpTaskPayload["expectStatus"]): boolean {
  if (expect === undefined) return status >= 200 && status < 300;
  return Array.isArray(expect) ? expect.includes(status) : status === expect;
}

function encodeBody(payload: HttpTaskPayload, headers: Record<string, string>): Buffer | undefined {
  if (payload.body === undefined || payload.body === null) return undefined;
  if (typeof payload.body === "string") return Buffer.from(payload.body);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
    headers["content-type"] = "application/json";
  }
  return Buffer.from(JSON.stringify(payload.body));
}

function buildHeaders(
  payload: HttpTaskPayload,
  context: TaskContext,
  userAgent: string,
): Record<string, string> {
  const reserved = new Set(["idempotency-key", "x-hotbeat-schedule", "x-hotbeat-scheduled-at"]);
  const headers: Record<string, string> = { "user-agent": userAgent };
  for (const [name, value] of Object.entries(payload.headers)) {
    if (!reserved.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  headers["idempotency-key"] = context.runId;
  headers["x-hotbeat-schedule"] = context.scheduleName;
  headers["x-hotbeat-scheduled-at"] = context.scheduledAt.toISOString();
  return headers;
}

/**
 * The built-in `http` task: one request with the run's idempotency headers, redirects followed by
 * hand (each hop checked against the address policy again), a deadline over the whole call, a
 * response-size cap, and retries on 429 and 5xx that honour `Retry-After`.
 */
export function createHttpTask(options: HttpTaskOptions): TaskDefinition<HttpTaskPayload> {
  const policy = createAddressPolicy(options.allow);
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const userAgent = options.userAgent ?? "hotbeat-worker/0.1 (+https://github.com/hotbeat)";

  return {
    name: HTTP_TASK_NAME,
    payloadSchema: httpTaskPayloadSchema,
    // Above the largest payload timeout, which is the deadline that normally applies.
    timeoutMs: MAX_TIMEOUT_MS + 5000,
    retries: options.retries ?? { attempts: 5, backoffMs: 1000 },
    handler: async (payload, context): Promise<HttpTaskResult> => {
      const deadline = AbortSignal.timeout(payload.timeoutMs);
      const signal = AbortSignal.any([context.signal, deadline]);
      const headers = buildHeaders(payload, context, userAgent);
      let body = encodeBody(payload, headers);
      let method = payload.method;
      let url = new URL(payload.url);
      const startedAt = Date.now();
      for (let redirects = 0; ; redirects++) {
        let reply: HttpReply;
        try {
          reply = await sendHttpRequest({ url, method, headers, body, signal, policy, maxResponseBytes });
        } catch (error) {
          if (deadline.aborted)
            throw new TransientTaskError(
              `no response from ${describeUrl(url)} within ${payload.timeoutMs} ms`,
            );
          if (error instanceof PermanentTaskError || context.signal.aborted) throw error;
          if (isUnsendableRequestError(error))
            throw new PermanentTaskError(
              `${method} ${describeUrl(url)} cannot be sent: ${describeThrown(error)}`,
            );
          throw new TransientTaskError(
            `${method} ${describeUrl(url)} failed: ${describeThrown(error)}`,
            undefined,
            { cause: error },
          );
        }
        const location = reply.headers.location;
        if (
          reply.status >= 300 &&
          reply.status < 400 &&
          location &&
          !isExpected(reply.status, payload.expectStatus)
        ) {
          if (redirects >= MAX_REDIRECTS)
            throw new PermanentTaskError(
              `more than ${MAX_REDIRECTS} redirects from ${describeUrl(new URL(payload.url))}`,
            );
          const next = URL.canParse(location, url.href) ? new URL(location, url) : undefined;
          if (!next) throw new PermanentTaskError(`redirect to an invalid location from ${describeUrl(url)}`);
          // As browsers do: 303 always, and 301/302 after a POST, turn into a GET without a body.
          if (reply.status === 303 || ((reply.status === 301 || reply.status === 302) && method === "POST")) {
            if (method !== "HEAD") method = "GET";
            body = undefined;
            delete headers["content-type"];
          }
          if (next.origin !== url.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
          context.log.debug(
            { from: describeUrl(url), to: describeUrl(next), status: reply.status },
            "http task redirect",
          );
          url = next;
          continue;
        }
        const durationMs = Date.now() - startedAt;
        context.log.info(
          { method, url: describeUrl(url), status: reply.status, redirects, durationMs },
          "http task response",
        );
        if (isExpected(reply.status, payload.expectStatus)) {
          return {
            status: reply.status,
            url: describeUrl(url),
            redirects,
            bytes: reply.body.length,
            // Cut on a code point: half a surrogate pair is text PostgreSQL refuses to store.
            bodyPreview: truncateText(
              reply.body.subarray(0, BODY_PREVIEW_CHARS * 4).toString("utf8"),
              BODY_PREVIEW_CHARS,
            ),
          };
        }
        const message = `${method} ${describeUrl(url)} answered ${reply.status}`;
        if (reply.status === 429 || reply.status >= 500) {
          throw new TransientTaskError(message, parseRetryAfter(reply.headers["retry-after"], new Date()));
        }
        const expected =
          payload.expectStatus === undefined ? "2xx" : [payload.expectStatus].flat().join(" or ");
        throw new PermanentTaskError(`${message}, expected ${expected}`);
      }
    },
  };
}
