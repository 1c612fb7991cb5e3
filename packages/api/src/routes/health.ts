import { withTimeout } from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "./context.js";

const checkSchema = z.enum(["up", "down"]);

/** Resolves "up" when `probe` answers within `timeoutMs`, else "down" (never throws). */
async function check(probe: () => Promise<unknown>, timeoutMs: number): Promise<"up" | "down"> {
  try {
    await withTimeout(probe(), timeoutMs, "readiness probe");
    return "up";
  } catch {
    return "down"; // a failure and a timeout both mean not ready; the answer names which service
  }
}

/** Liveness, readiness and Prometheus metrics; open without a token, for probes and scrapers. */
export const healthRoutes: FastifyPluginCallbackZod<{
  ctx: RouteContext;
  renderMetrics: () => Promise<string>;
}> = (app, { ctx, renderMetrics }, done) => {
  const timeoutMs = ctx.deps.readyTimeoutMs ?? 1000;

  app.get(
    "/health",
    {
      schema: {
        tags: ["health"],
        summary: "Liveness: 200 while the process runs",
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    () => ({ status: "ok" as const }),
  );

  app.get(
    "/ready",
    {
      schema: {
        tags: ["health"],
        summary: "Readiness: 200 when PostgreSQL and Redis answer, else 503 naming which does not",
        response: {
          200: z.object({ status: z.literal("ready"), postgres: checkSchema, redis: checkSchema }),
          503: z.object({
            status: z.literal("not_ready"),
            postgres: checkSchema,
            redis: checkSchema,
            message: z.string(),
          }),
        },
      },
    },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        check(() => ctx.deps.database.sql`SELECT 1`, timeoutMs),
        check(() => ctx.deps.redis.ping(), timeoutMs),
      ]);
      if (postgres === "up" && redis === "up") return { status: "ready" as const, postgres, redis };
      const down = [postgres === "down" ? "PostgreSQL" : null, redis === "down" ? "Redis" : null].filter(
        Boolean,
      );
      return reply.code(503).send({
        status: "not_ready" as const,
        postgres,
        redis,
        message: `${down.join(" and ")} did not answer within ${timeoutMs} ms`,
      });
    },
  );

  app.get(
    "/metrics",
    { schema: { tags: ["health"], summary: "Prometheus text exposition", hide: true } },
    async (_request, reply) =>
      reply.type("text/plain; version=0.0.4; charset=utf-8").send(await renderMetrics()),
  );
  done();
};
