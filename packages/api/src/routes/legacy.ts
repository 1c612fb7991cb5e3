import { getSchedule, VersionConflict, type ChangeContext } from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  errorBodySchema,
  errorResponses,
  scheduleWriteSchema,
  toScheduleWriteJson,
} from "../contracts/responses.js";
import {
  readChangeContext,
  toEtag,
  writeHeadersSchema,
  writeQuerySchema,
} from "../contracts/writeOptions.js";
import { toLegacyPatch, type LegacyUpdate } from "../legacy/toLegacyPatch.js";
import { writeWithApplied } from "../schedulers/writeWithApplied.js";
import type { RouteContext } from "./context.js";
import { nameParamsSchema } from "./schedules.js";

const wholeNumber = (min: number, max: number) =>
  z
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const legacyBodySchema = z.strictObject({
  hour: wholeNumber(0, 23).optional(),
  minute: wholeNumber(0, 59).optional(),
  interval: wholeNumber(1, 366 * 86_400)
    .optional()
    .describe("seconds; switches the schedule to an interval"),
  day_of_week: z
    .union([wholeNumber(0, 6), z.string().max(100)], {
      message: "must be a day name or a number 0 (Monday) … 6 (Sunday)",
    })
    .optional()
    .describe(
      "monday … sunday, mon … sun, or 0 = Monday … 6 = Sunday as the older API counted; a comma list for several",
    ),
  enabled: z.boolean({ message: "must be true or false" }).optional(),
});

/** The older API, kept for the scripts that call it; it goes through the same write path. */
export const legacyRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const hasToken = Boolean(ctx.deps.config.apiToken);

  /**
   * The patch is computed from the version read, so it is applied only to that version; a change
   * that lands in between makes it read again rather than overwrite that change's cron fields.
   */
  async function updateFromCurrent(name: string, update: LegacyUpdate, change: ChangeContext) {
    for (let attempt = 1; ; attempt++) {
      const current = await getSchedule(ctx.deps.database.db, name);
      try {
        return await ctx.writer.update(name, toLegacyPatch(current, update), {
          ...change,
          expectedVersion: current.version,
        });
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= 3) throw error;
      }
    }
  }

  app.post(
    "/update_schedule/:name",
    {
      schema: {
        tags: ["legacy"],
        summary: "The older update API: hour, minute, interval, day_of_week, enabled",
        params: nameParamsSchema,
        body: legacyBodySchema,
        querystring: writeQuerySchema,
        headers: writeHeadersSchema,
        response: { 200: scheduleWriteSchema, ...errorResponses, 404: errorBodySchema, 412: errorBodySchema },
      },
    },
    async (request, reply) => {
      const change = readChangeContext(request, request.query, { hasToken, source: "api" });
      const { name } = request.params;
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => {
          const saved = await updateFromCurrent(name, request.body, change);
          return { result: saved, targets: saved.changed ? [{ name, version: saved.schedule.version }] : [] };
        },
      );
      if (result.changed) ctx.metrics.recordScheduleWrite("update");
      reply.header("etag", toEtag(result.schedule.version));
      return toScheduleWriteJson(result, applied);
    },
  );
  done();
};
