import {
  AppError,
  isDatabaseUnavailable,
  READ_ONLY_FIELDS,
  type AppErrorCode,
  type ErrorDetail,
  type Logger,
} from "@hotbeat/shared";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

/**
 * The HTTP status of each stable `AppError` code; clients rely on these pairs. Exhaustive, so a
 * new code cannot ship without its status. A 500 is answered without the message.
 */
const STATUS_BY_CODE: Record<AppErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  version_conflict: 412,
  too_large: 413,
  rate_limited: 429,
  config: 500,
  unreachable: 500,
  task_permanent: 500,
  task_transient: 500,
  task_timeout: 500,
  worker_shutdown: 500,
};

/** How long a client is told to wait before retrying while PostgreSQL is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The code for a status Fastify or a plugin chose itself (parser, body limit, rate limit). */
const CODE_BY_STATUS: Record<number, string> = {
  400: "invalid",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  406: "not_acceptable",
  413: "too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** The body of every error answer: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

/** Builds an error body. */
export function toErrorBody(code: string, message: string, details: ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details } };
}

/**
 * The one error handler: AppError codes map to statuses, schema validation names the field, 4xx
 * from Fastify and its plugins keep their status, PostgreSQL out of reach is a 503 with
 * `Retry-After`, and anything else is a 500 that says nothing internal while the cause goes to
 * the log.
 */
export function registerErrorHandler(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = toValidationDetails(error.validation, error.validationContext);
      return reply.code(400).send(toErrorBody("invalid", describe(details), details));
    }
    if (error instanceof AppError) {
      const status = STATUS_BY_CODE[error.code];
      if (status >= 500) return sendInternal(error);
      return reply.code(status).send(toErrorBody(error.code, error.message, error.details));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = CODE_BY_STATUS[status] ?? "invalid";
      const field = status === 413 || status === 415 || status === 400 ? "body" : undefined;
      return reply
        .code(status)
        .send(toErrorBody(code, error.message, field ? [{ field, message: error.message }] : []));
    }
    return sendInternal(error);

    function sendInternal(cause: unknown) {
      if (isDatabaseUnavailable(cause)) {
        log.warn(
          { err: cause, method: request.method, url: request.url, reqId: request.id },
          "database unavailable",
        );
        return reply
          .code(503)
          .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
          .send(toErrorBody("unavailable", "PostgreSQL is unreachable; retry later"));
      }
      log.error(
        { err: cause, method: request.method, url: request.url, reqId: request.id },
        "request failed",
      );
      return reply.code(500).send(toErrorBody("internal", "internal error; the server log has the details"));
    }
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(toErrorBody("not_found", `no route ${request.method} ${request.url.split("?")[0]}`)),
  );
}

type ValidationEntry = {
  instancePath: string;
  message?: string | undefined;
  keyword: string;
  params: Record<string, unknown>;
};

/**
 * Turns the type provider's validation entries into `{ field, message }`: a body field is its
 * dotted path (`payload.x`), a query, header or path parameter its own name.
 */
function toValidationDetails(
  entries: readonly ValidationEntry[],
  context: string | undefined,
): ErrorDetail[] {
  return entries.flatMap((entry): ErrorDetail[] => {
    const path = entry.instancePath.split("/").filter(Boolean).join(".");
    if (entry.keyword === "unrecognized_keys" && Array.isArray(entry.params.keys)) {
      const where =
        context === "querystring" ? "query parameter" : context === "headers" ? "header" : "field";
      return (entry.params.keys as string[]).map((key) => ({
        field: [path, key].filter(Boolean).join("."),
        message: describeUnknownKey(key, where),
      }));
    }
    const message = entry.message ?? "is invalid";
    const isMissing = entry.keyword === "invalid_type" && /received undefined/.test(message);
    return [{ field: path || (context ?? "body"), message: isMissing ? "is required" : message }];
  });
}

function describeUnknownKey(key: string, where: string): string {
  if ((READ_ONLY_FIELDS as readonly string[]).includes(key))
    return "is maintained by hotbeat and cannot be set";
  if (key === "name" && where === "field") return "cannot be changed: a schedule's name is its identity";
  return `is not a known ${where}`;
}

function describe(details: ErrorDetail[]): string {
  return details.map((d) => `${d.field}: ${d.message}`).join("; ") || "invalid request";
}
