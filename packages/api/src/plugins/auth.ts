import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { toErrorBody } from "./errors.js";

/** Paths that need the token when one is configured; health, metrics, docs and UI stay open. */
export function isProtectedPath(url: string): boolean {
  const path = url.split("?")[0] ?? "";
  return (
    path === "/api" ||
    path.startsWith("/api/") ||
    path === "/update_schedule" ||
    path.startsWith("/update_schedule/")
  );
}

/** The bearer token of a request, or undefined. */
export function readBearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Compares in constant time. Hashing both sides first gives equal-length inputs, which
 * `timingSafeEqual` requires, so the comparison leaks neither the content nor the length.
 */
export function isSameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * True when a request needs the token. The router matches the percent-decoded path, so
 * `/%61pi/v1/schedules` reaches `/api/v1/schedules`: the decision is made on the route that
 * matched, and on the decoded path for a request that matched none, never on the raw URL alone.
 */
export function isProtectedRequest(request: Pick<FastifyRequest, "url" | "routeOptions">): boolean {
  const route = request.routeOptions.url;
  if (route !== undefined && isProtectedPath(route)) return true;
  const path = request.url.split("?")[0] ?? "";
  return isProtectedPath(path) || isProtectedPath(decodePath(path));
}

/** The percent-decoded path; a malformed escape names no route, so the raw path stands. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Requires `Authorization: Bearer <token>` on protected paths when a token is configured. */
export function registerAuth(app: FastifyInstance, apiToken: string | undefined): void {
  if (!apiToken) return;
  app.addHook("onRequest", async (request, reply) => {
    if (!isProtectedRequest(request)) return;
    const given = readBearerToken(request);
    if (given !== undefined && isSameToken(given, apiToken)) return;
    return reply
      .code(401)
      .header("www-authenticate", 'Bearer realm="hotbeat"')
      .send(
        toErrorBody(
          "unauthorized",
          given === undefined
            ? "an Authorization: Bearer <token> header is required"
            : "the token is not valid",
          [{ field: "authorization", message: given === undefined ? "is required" : "is not valid" }],
        ),
      );
  });
}
