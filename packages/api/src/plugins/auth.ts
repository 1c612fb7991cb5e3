import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { toErrorBody } from "./errors.js";

/** Paths that need the token when one is configured (SPEC §4); health, metrics, docs and UI stay open. */
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

/** Requires `Authorization: Bearer <token>` on protected paths when a token is configured. */
export function registerAuth(app: FastifyInstance, apiToken: string | undefined): void {
  if (!apiToken) return;
  app.addHook("onRequest", async (request, reply) => {
    if (!isProtectedPath(request.url)) return;
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
