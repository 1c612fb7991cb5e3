import { AppError, findForbiddenKey } from "@hotbeat/shared";
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
  // Fastify's parser refused the body; name the key at fault with hotbeat's one rule.
  const field = findForbiddenKey(plain);
  return new AppError("invalid", "the body contains a forbidden key", [
    { field: field ?? "body", message: field ? "is a forbidden key" : error.message },
  ]);
}
