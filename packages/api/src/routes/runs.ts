import { enqueueRun, getSchedule, listRuns, markEnqueued, recordRun } from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBodySchema, errorResponses } from "../contracts/responses.js";
import { RUN_STATUSES, runJsonSchema, toRunJson } from "../contracts/runJson.js";
import type { RouteContext } from "./context.js";
import { nameParamsSchema } from "./schedules.js";

/** Runs: a manual trigger, and the ledger newest first. */
export const runRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const { db } = ctx.deps.db;

  app.post(
    "/api/v1/schedules/:name/trigger",
    {
      schema: {
        tags: ["runs"],
        summary: "Run the schedule's task now, outside its timeline",
        description:
          "A manual run never takes the place of a scheduled fire; it is queued at once and answered 202.",
        params: nameParamsSchema,
        querystring: z.strictObject({}),
        response: { 202: z.object({ run: runJsonSchema }), ...errorResponses, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const schedule = await getSchedule(db, request.params.name);
      const { run } = await recordRun(db, { schedule, scheduledAt: ctx.now(), kind: "manual" });
      // Recorded first: if Redis fails here, the scheduler's sweeper enqueues the row later.
      await enqueueRun(ctx.deps.queue, run);
      await markEnqueued(db, run.id);
      request.log.info({ schedule: schedule.name, runId: run.id }, "manual run enqueued");
      return reply.code(202).send({ run: toRunJson(run) });
    },
  );

  app.get(
    "/api/v1/runs",
    {
      schema: {
        tags: ["runs"],
        summary: "Task runs, newest first",
        querystring: z.strictObject({
          schedule: z.string().max(100).optional(),
          status: z.enum(RUN_STATUSES, { message: `must be one of ${RUN_STATUSES.join(", ")}` }).optional(),
          limit: z.coerce
            .number({ message: "must be a number" })
            .int("must be a whole number")
            .min(1, "must be at least 1")
            .max(500, "must be at most 500")
            .optional()
            .describe("50 unless set"),
        }),
        response: { 200: z.object({ runs: z.array(runJsonSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await listRuns(db, request.query);
      return { runs: rows.map(toRunJson) };
    },
  );
  done();
};
