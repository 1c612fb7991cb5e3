import { AppError, type ChangeContext } from "@hotbeat/shared";
import type { FastifyRequest } from "fastify";
import { z } from "zod";

/** Query parameters every write accepts. */
export const writeQuerySchema = z.strictObject({
  wait: z
    .enum(["applied"], { message: "must be applied" })
    .optional()
    .describe("answer once every live scheduler has applied the new version (or the timeout passed)"),
  timeoutMs: z.coerce
    .number({ message: "must be a number of milliseconds" })
    .int("must be a whole number")
    .min(0, "must be >= 0")
    .max(10_000, "must be at most 10000")
    .optional()
    .describe("how long ?wait=applied waits; 2000 unless set"),
  note: z
    .string()
    .max(500, "must be at most 500 characters")
    .optional()
    .describe("recorded in the history row"),
});
export type WriteQuery = z.infer<typeof writeQuerySchema>;

/** Headers every write reads; other headers pass through untouched. */
export const writeHeadersSchema = z.looseObject({
  "x-hotbeat-actor": z
    .string()
    .regex(/^[\w.@+:-]{1,100}$/, "must be 1-100 letters, digits or _ . @ + : -")
    .optional()
    .describe("who makes the change, recorded in history"),
  "x-hotbeat-source": z.enum(["api", "cli", "ui"], { message: "must be api, cli or ui" }).optional(),
  "x-hotbeat-note": z.string().max(500, "must be at most 500 characters").optional(),
});

/** Writes that honour `If-Match` add it to the headers above. */
export const conditionalWriteHeadersSchema = writeHeadersSchema.extend({
  "if-match": z
    .string()
    .optional()
    .describe('the version the change expects, as "3" or 3; a stale one gets 412'),
});

export const DEFAULT_APPLIED_TIMEOUT_MS = 2000;

/**
 * Who changes what through which surface, for history. The actor defaults to "token" when the
 * API is protected by one (the only identity the API knows), else "api".
 */
export function readChangeContext(
  request: FastifyRequest,
  query: WriteQuery,
  options: { hasToken: boolean; source?: ChangeContext["source"] },
): ChangeContext {
  const headers = request.headers as Record<string, string | undefined>;
  const source =
    options.source ?? (headers["x-hotbeat-source"] as ChangeContext["source"] | undefined) ?? "api";
  return {
    actor: headers["x-hotbeat-actor"] ?? (options.hasToken ? "token" : "api"),
    source,
    note: query.note ?? headers["x-hotbeat-note"],
    expectedVersion: parseIfMatch(headers["if-match"]),
  };
}

/** `"3"`, `W/"3"` or `3` → 3; `*` or absent → no expectation. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match) {
    throw new AppError("invalid", 'If-Match must be a version such as "3"', [
      { field: "If-Match", message: 'must be a version such as "3"' },
    ]);
  }
  return Number(match[1]);
}

/** The ETag of a schedule: its version, quoted as RFC 9110 requires. */
export function toEtag(version: number): string {
  return `"${version}"`;
}

/** True when an `If-None-Match` header lists the current version (or `*`). */
export function matchesIfNoneMatch(header: string | undefined, version: number): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === toEtag(version);
  });
}
