import { AppError } from "@hotbeat/shared";
import type { FastifyInstance } from "fastify";

/**
 * Replaces Fastify's JSON parser with the same secure one (`__proto__` and `constructor.prototype`
 * refused, not stripped: a request that tries prototype poisoning is an error, not a silent edit)
 * but with an error that names the offending field, which Fastify's own message does not.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseSecure = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    // An empty body with a JSON content type is what many clients send for a bodyless POST.
    if (text.trim() === "") return done(null, undefined);
    void parseSecure(request, text, (error, value) => {
      if (!error) return done(null, value);
      done(toParseError(text, error), undefined);
    });
  });
}

function toParseError(text: string, error: Error): AppError {
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (syntax) {
    return new AppError("invalid", "the body is not valid JSON", [
      { field: "body", message: (syntax as Error).message },
    ]);
  }
  const field = findPoisonedKey(plain, "");
  return new AppError("invalid", "the body contains a forbidden key", [
    { field: field ?? "body", message: field ? "is a forbidden key" : error.message },
  ]);
}

/** The path of the first `__proto__` key, or of a `constructor` object holding `prototype`. */
function findPoisonedKey(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    const child = (value as Record<string, unknown>)[key];
    if (key === "__proto__") return here;
    if (
      key === "constructor" &&
      child !== null &&
      typeof child === "object" &&
      Object.hasOwn(child, "prototype")
    ) {
      return `${here}.prototype`;
    }
    const nested = findPoisonedKey(child, here);
    if (nested) return nested;
  }
  return undefined;
}
