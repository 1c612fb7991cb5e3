import { TimeoutError, dispatchRuns, getSchedule, listRuns, publishRunUpdates } from "@hotbeat/shared";
import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBodySchema, errorResponses } from "../contracts/responses.js";
import { RUN_STATUSES, runJsonSchema, toRunJson } from "../contracts/runJson.js";
import type { RouteContext } from "./context.js";
import { nameParamsSchema } from "./schedules.js";

/** How long a trigger waits for Redis to take the job before answering with the recorded run. */
const DEFAULT_ENQUEUE_TIMEOUT_MS = 1000;

/** Logs why a manual run was left to the sweeper: Redis too slow, or refusing. */
function logEnqueueGaveUp(log: FastifyBaseLogger, runId: string, error: unknown, timeoutMs: number): void {
  if (error instanceof TimeoutError)
    log.warn({ runId, timeoutMs }, "Redis did not take the run in time; the sweeper will enqueue it");
  else log.warn({ err: error, runId }, "could not enqueue the run; the sweeper will enqueue it");
}

/** Runs: a manual trigger, and the ledger newest first. */
export const runRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const { db } = ctx.deps.database;

  app.post(
    "/api/v1/schedules/:name/trigger",
    {
      schema: {
        tags: ["runs"],
        summary: "Run the schedule's task now, outside its timeline",
        description:
          "A manual run never takes the place of a scheduled fire; it is recorded, queued at once and answered 202. With Redis away the recorded run is answered as it is, and the scheduler's sweeper enqueues it.",
        params: nameParamsSchema,
        querystring: z.strictObject({}),
        // No fields: one sent is refused, not dropped: bad input changes nothing.
        body: z.strictObject({}).nullish(),
        response: { 202: z.object({ run: runJsonSchema }), ...errorResponses, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const schedule = await getSchedule(db, request.params.name);
      const timeoutMs = ctx.deps.enqueueTimeoutMs ?? DEFAULT_ENQUEUE_TIMEOUT_MS;
      // Recorded first: if Redis fails or is slow here, the scheduler's sweeper enqueues the row later.
      const dispatched = await dispatchRuns(
        {
          db,
          queue: ctx.deps.queue,
          enqueueBound: {
            timeoutMs,
            onLateError: (error) => request.log.debug({ err: error }, "late enqueue failed"),
          },
        },
        [{ schedule, scheduledAt: ctx.now(), kind: "manual", status: "queued" }],
      );
      const { run } = dispatched.recorded[0]!;
      void publishRunUpdates(ctx.deps.redis, ctx.deps.config.redisNamespace, [run.id]).catch(
        (error: unknown) => request.log.debug({ err: error, runId: run.id }, "run update not published"),
      );
      if (dispatched.enqueueError === undefined)
        request.log.info({ schedule: schedule.name, runId: run.id }, "manual run enqueued");
      else logEnqueueGaveUp(request.log, run.id, dispatched.enqueueError, timeoutMs);
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
