import type { FastifyInstance } from "fastify";

/**
 * One log line per request, when it is answered, in place of Fastify's two (one on arrival, one
 * on completion): each line is a write to the log stream, which under a burst of writes cost
 * about as much as the write's own validation. Needs Fastify's own request logging disabled on
 * the instance (its `logController`, see app.ts).
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook("onResponse", (request, reply, done) => {
    request.log.info(
      {
        req: { method: request.method, url: request.url },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      "request completed",
    );
    done();
  });
}
