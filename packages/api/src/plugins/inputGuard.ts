import { AppError, findUnstorableValue, type ErrorDetail } from "@hotbeat/shared";
import type { FastifyInstance } from "fastify";

/** The request headers hotbeat stores or reads as values (history's actor, source and note). */
const READ_HEADERS = ["x-hotbeat-actor", "x-hotbeat-source", "x-hotbeat-note", "if-match"];

/**
 * Refuses, before any route runs, text that PostgreSQL cannot hold or would alter (a NUL, a lone
 * surrogate) and JSON nested past the limit, wherever it is: a path segment, a query value, a
 * header hotbeat records, or the body. Every route is covered at once, so none can reach the
 * database with such a value and answer 500, and the 400 names the field as a schema error would.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook("preValidation", (request, _reply, done) => {
    const found =
      findInEntries(request.params) ??
      findInEntries(request.query) ??
      findInEntries(pickHeaders(request.headers)) ??
      findUnstorableValue(request.body);
    done(found ? new AppError("invalid", `${found.field}: ${found.message}`, [found]) : undefined);
  });
}

function findInEntries(values: unknown): ErrorDetail | undefined {
  if (values === null || typeof values !== "object") return undefined;
  for (const [key, value] of Object.entries(values)) {
    const found = findUnstorableValue(value, key);
    if (found) return { ...found, field: found.field.replace(/\[\d+\]$/, "") };
  }
  return undefined;
}

function pickHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    READ_HEADERS.filter((name) => name in headers).map((name) => [name, headers[name]]),
  );
}
