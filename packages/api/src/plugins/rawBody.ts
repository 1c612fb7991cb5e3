import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * The parsed JSON body before schema validation. Route schemas validate and document the
     * body, but the shared write path validates again from the raw JSON (it is also called by
     * import and the CLI), and the validated body has already turned ISO strings into Dates.
     */
    rawBody: unknown;
  }
}

/** Keeps the body as parsed, before validation replaces it with the schema's output. */
export function registerRawBody(app: FastifyInstance): void {
  app.decorateRequest("rawBody", undefined);
  app.addHook("preValidation", (request, _reply, done) => {
    request.rawBody = request.body;
    done();
  });
}
