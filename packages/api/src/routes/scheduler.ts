import { schedulerStatusSchema } from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../contracts/responses.js";
import { readLiveSchedulers } from "../schedulers/readLiveSchedulers.js";
import type { RouteContext } from "./context.js";

// The message schedulers write to Redis is the response's shape, named for the OpenAPI document.
const schedulerStatusJsonSchema = schedulerStatusSchema.meta({ id: "SchedulerStatus" });

/** The live schedulers, from their self-reports in Redis. */
export const schedulerRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  app.get(
    "/api/v1/scheduler",
    {
      schema: {
        tags: ["scheduler"],
        summary: "Live scheduler instances: leader, schedules loaded, last change applied",
        response: {
          200: z.object({
            schedulers: z.array(schedulerStatusJsonSchema),
            leader: z.string().nullable().describe("instanceId of the leader, if one reports it"),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const schedulers = await readLiveSchedulers(
        ctx.deps.redis,
        ctx.deps.config.redisNamespace,
        ctx.deps.log,
      );
      return { schedulers, leader: schedulers.find((s) => s.isLeader)?.instanceId ?? null };
    },
  );
  done();
};
