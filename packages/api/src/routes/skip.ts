import {
  AppError,
  computeNextFireTime,
  describeExclusion,
  findExclusionAt,
  getSchedule,
  listHandSkips,
  listPreviewInstants,
  loadExclusions,
  publishRunUpdates,
  recordHandSkip,
  removeHandSkip,
  toTiming,
  type Schedule,
} from "@hotbeat/shared";
import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { instantParamSchema } from "../contracts/instantParam.js";
import { errorBodySchema, errorResponses } from "../contracts/responses.js";
import { runJsonSchema, toRunJson } from "../contracts/runJson.js";
import { readChangeContext, writeHeadersSchema } from "../contracts/writeOptions.js";
import type { RouteContext } from "./context.js";
import { nameParamsSchema } from "./schedules.js";

const skipAnswerSchema = z.object({
  skipped: z.object({ schedule: z.string(), at: z.string(), reason: z.string() }),
  run: runJsonSchema.describe("the skipped run that holds the instant's place in the ledger"),
});

const invalidAt = (message: string) => new AppError("invalid", `at: ${message}`, [{ field: "at", message }]);

/**
 * The instant to skip: `at` when given (a future fire instant of the schedule that would fire),
 * else the next instant that would fire, passing over excluded and already skipped ones.
 */
async function chooseInstant(
  db: RouteContext["deps"]["database"]["db"],
  schedule: Schedule,
  at: Date | undefined,
  now: Date,
): Promise<Date> {
  const timing = toTiming(schedule);
  const { matchers } = await loadExclusions(db, schedule);
  if (at === undefined) {
    const skipped = await listHandSkips(db, schedule.name, now);
    const { instants } = listPreviewInstants(timing, { from: now, count: 1, matchers, skipped });
    const next = instants.find((i) => i.exclusion === null && i.skipReason === null);
    if (!next) throw invalidAt("the schedule has no future fire instant to skip");
    return next.at;
  }
  if (at.getTime() <= now.getTime()) throw invalidAt(`must be in the future; ${at.toISOString()} has passed`);
  const nearest = computeNextFireTime(timing, new Date(at.getTime() - 1));
  if (nearest?.getTime() !== at.getTime()) {
    const hint = nearest ? `; the next one after it is ${nearest.toISOString()}` : "";
    throw invalidAt(`${at.toISOString()} is not a fire instant of this schedule${hint}`);
  }
  const exclusion = findExclusionAt(at, schedule.timezone, matchers);
  if (exclusion)
    throw invalidAt(`${at.toISOString()} does not fire anyway (${describeExclusion(exclusion)})`);
  return at;
}

function announce(ctx: RouteContext, runId: string, log: FastifyBaseLogger): void {
  void publishRunUpdates(ctx.deps.redis, ctx.deps.config.redisNamespace, [runId]).catch((error: unknown) =>
    log.debug({ err: error, runId }, "run update not published"),
  );
}

/** Skip one future instant of a schedule, and undo it before it passes. */
export const skipRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const { db } = ctx.deps.database;
  const hasToken = Boolean(ctx.deps.config.apiToken);

  app.post(
    "/api/v1/schedules/:name/skip",
    {
      schema: {
        tags: ["runs"],
        summary: "Skip one future fire instant (the next one unless `at` says which)",
        description:
          "Records a `skipped` run for the instant, reason `skipped by <actor>`: the ledger's unique (schedule, instant) key keeps the scheduler from running it. Without `at`, the next instant that would fire (excluded and already skipped instants are passed over), so two calls skip two. 201 when recorded, 200 when that instant was already skipped. Undo with DELETE …/skip/:at until the instant passes.",
        params: nameParamsSchema,
        querystring: z.strictObject({}),
        headers: writeHeadersSchema,
        body: z
          .strictObject({
            at: instantParamSchema
              .optional()
              .describe("a future fire instant of the schedule; the next one that would fire unless set"),
          })
          .nullish(),
        response: {
          200: skipAnswerSchema,
          201: skipAnswerSchema,
          ...errorResponses,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const schedule = await getSchedule(db, request.params.name);
      const { actor } = readChangeContext(request, {}, { hasToken });
      const requested = request.body?.at === undefined ? undefined : new Date(request.body.at);
      const at = await chooseInstant(db, schedule, requested, ctx.now());
      const { run, isNew } = await recordHandSkip(db, schedule, at, actor);
      if (run.status !== "skipped") {
        throw new AppError("conflict", `${at.toISOString()} is already recorded as ${run.status}`, [
          { field: "at", message: `already recorded as ${run.status}` },
        ]);
      }
      if (isNew) {
        announce(ctx, run.id, request.log);
        request.log.info({ schedule: schedule.name, fireAt: at, actor }, "fire skipped by hand");
      }
      return reply.code(isNew ? 201 : 200).send({
        skipped: { schedule: schedule.name, at: at.toISOString(), reason: run.error ?? "" },
        run: toRunJson(run),
      });
    },
  );

  app.delete(
    "/api/v1/schedules/:name/skip/:at",
    {
      schema: {
        tags: ["runs"],
        summary: "Undo the skip of an instant that has not passed",
        description:
          "The instant fires again as usual. 409 once it has passed; 404 when it was not skipped by hand.",
        params: nameParamsSchema.extend({ at: instantParamSchema.describe("the skipped instant") }),
        querystring: z.strictObject({}),
        headers: writeHeadersSchema,
        response: {
          200: z.object({ unskipped: z.object({ schedule: z.string(), at: z.string() }) }),
          ...errorResponses,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request) => {
      const schedule = await getSchedule(db, request.params.name);
      const at = new Date(request.params.at);
      if (at.getTime() <= ctx.now().getTime()) {
        throw new AppError("conflict", `${at.toISOString()} has passed; its skip stays on record`, [
          { field: "at", message: "has passed" },
        ]);
      }
      const removed = await removeHandSkip(db, schedule.name, at);
      if (!removed) {
        throw new AppError("not_found", `${schedule.name} has no skip at ${at.toISOString()}`, [
          { field: "at", message: "was not skipped by hand" },
        ]);
      }
      request.log.info({ schedule: schedule.name, fireAt: at }, "skip undone");
      return { unskipped: { schedule: schedule.name, at: at.toISOString() } };
    },
  );
  done();
};
