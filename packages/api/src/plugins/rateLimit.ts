import fastifyRateLimit from "@fastify/rate-limit";
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from "@hotbeat/shared";
import type { FastifyInstance } from "fastify";
import { createHash } from "node:crypto";
import type { ApiDeps } from "../deps.js";
import { readBearerToken } from "./auth.js";

const MINUTE_MS = 60_000;

/**
 * Limits writes per client: `deps.rateLimit` when given, else `HOTBEAT_RATE_LIMIT` writes a
 * minute; a limit of 0 registers nothing. A request is one write whatever it carries, so an
 * import of thousands of schedules counts once. Register before the routes it guards.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  deps: Pick<ApiDeps, "rateLimit" | "config">,
): Promise<void> {
  const limit = deps.rateLimit ?? {
    max: deps.config.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    timeWindowMs: MINUTE_MS,
  };
  if (limit.max === 0) return;
  await app.register(fastifyRateLimit, {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    // Only changes are limited: reads, probes, docs, and the unsaved preview, which the UI's
    // editor calls as the user types and which writes nothing.
    allowList: (request) =>
      ["GET", "HEAD", "OPTIONS"].includes(request.method) || request.url.split("?")[0] === "/api/v1/preview",
    // Per token when there is one (clients behind one proxy share an address), else per address.
    keyGenerator: (request) => {
      const token = readBearerToken(request);
      return token
        ? `token:${createHash("sha256").update(token).digest("hex").slice(0, 32)}`
        : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new Error(`rate limited: at most ${context.max} writes per ${context.after}; retry later`),
        { statusCode: context.statusCode },
      ),
  });
}
