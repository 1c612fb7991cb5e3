import {
  computeNextFireTimes,
  computeScheduleWarnings,
  describeFireTime,
  describeSchedule,
  getSchedule,
  isSupportedInstant,
  resolveCreate,
  scheduleFieldsSchema,
  toTiming,
  UNSUPPORTED_INSTANT_MESSAGE,
  type ScheduleTiming,
} from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBodySchema, errorResponses } from "../contracts/responses.js";
import type { RouteContext } from "./context.js";
import { nameParamsSchema } from "./schedules.js";

const MAX_PREVIEW_COUNT = 100;

const countSchema = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_PREVIEW_COUNT, `must be at most ${MAX_PREVIEW_COUNT}`)
  .optional()
  .describe("how many fire instants; 5 unless set");
const fromSchema = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 instant with an offset" })
  .refine((value) => isSupportedInstant(new Date(value)), UNSUPPORTED_INSTANT_MESSAGE)
  .optional()
  .describe("list instants strictly after this one; now unless set");

const previewSchema = z
  .object({
    timezone: z.string(),
    summary: z.string().describe("the schedule in words, with its zone, as on the schedule itself"),
    from: z.string(),
    fireTimes: z.array(
      z.object({
        at: z.string().describe("UTC, ISO 8601"),
        local: z.string().describe("in the schedule's zone, ISO 8601 with its offset"),
        weekday: z.string().describe("in the schedule's zone"),
        dstShift: z
          .enum(["gap", "overlap"])
          .nullable()
          .describe(
            "gap: moved forward out of a skipped hour; overlap: this wall time occurs twice that day",
          ),
      }),
    ),
    warnings: z.array(z.string()),
  })
  .meta({ id: "Preview" });

/**
 * An unsaved definition: every schedule field, all optional, and name and task free-form, since
 * an editor previews before they are filled in.
 */
const unsavedPreviewSchema = scheduleFieldsSchema.partial().extend({
  name: z.string().max(200).optional(),
  task: z.string().max(200).optional(),
  count: countSchema,
  from: fromSchema,
});

function buildPreview(timing: ScheduleTiming, from: Date, count: number, now: Date) {
  return {
    timezone: timing.timezone,
    summary: describeSchedule(timing),
    from: from.toISOString(),
    fireTimes: computeNextFireTimes(timing, from, count).map((at) => describeFireTime(timing, at)),
    warnings: computeScheduleWarnings(timing, now),
  };
}

/** The next fire instants of a saved schedule or of a definition being edited. */
export const previewRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  app.get(
    "/api/v1/schedules/:name/preview",
    {
      schema: {
        tags: ["preview"],
        summary: "Next fire instants of a saved schedule, in UTC and in its zone",
        params: nameParamsSchema,
        querystring: z.strictObject({ count: countSchema, from: fromSchema }),
        response: { 200: previewSchema, ...errorResponses, 404: errorBodySchema },
      },
    },
    async (request) => {
      const row = await getSchedule(ctx.deps.database.db, request.params.name);
      const now = ctx.now();
      const from = request.query.from ? new Date(request.query.from) : now;
      return buildPreview(toTiming(row), from, request.query.count ?? 5, now);
    },
  );

  app.post(
    "/api/v1/preview",
    {
      schema: {
        tags: ["preview"],
        summary: "Next fire instants of an unsaved definition",
        description: "Body: the schedule fields (as for create), plus count and from. Nothing is saved.",
        body: unsavedPreviewSchema,
        response: { 200: previewSchema, ...errorResponses },
      },
    },
    (request) => {
      const { count, from, name } = request.body;
      const fields = { ...(request.rawBody as Record<string, unknown>) };
      for (const key of ["count", "from", "name", "task"]) delete fields[key];
      // The same validation as a save, so the editor shows the errors a save would get.
      const draft = resolveCreate(
        { ...fields, name: "preview", task: "preview" },
        { timezone: ctx.deps.config.defaultTimezone },
      );
      const now = ctx.now();
      // An interval counts from the moment it is saved; previewing now is as if saved now. A cron
      // `H` is hashed from the name it will be saved under, when the editor has one.
      const timing = { ...toTiming(draft, now), name: name || draft.name };
      return buildPreview(timing, from ? new Date(from) : now, count ?? 5, now);
    },
  );
  done();
};
