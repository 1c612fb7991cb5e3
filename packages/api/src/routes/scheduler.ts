import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../contracts/responses.js";
import { readLiveSchedulers } from "../schedulers/readLiveSchedulers.js";
import type { RouteContext } from "./context.js";

const schedulerStatusJsonSchema = z
  .object({
    instanceId: z.string(),
    hostname: z.string(),
    pid: z.number().int(),
    isLeader: z.boolean(),
    schedulesLoaded: z.number().int(),
    lastApplied: z
      .object({
        name: z.string(),
        version: z.number().int(),
        appliedAt: z.string(),
        latencyMs: z.number().nullable(),
      })
      .nullable(),
    startedAt: z.string(),
    heartbeatAt: z.string(),
  })
  .meta({ id: "SchedulerStatus" });

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
