import {
  computeScheduleWarnings,
  describeFireTime,
  describeSchedule,
  getSchedule,
  isSupportedInstant,
  labelExclusion,
  listHandSkips,
  listPreviewInstants,
  loadExclusions,
  MAX_LISTED_PASSED_OVER,
  NAME_PATTERN,
  resolveCreate,
  scheduleFieldsSchema,
  toTiming,
  UNSUPPORTED_INSTANT_MESSAGE,
  type Database,
  type Schedule,
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
        excluded: z
          .string()
          .optional()
          .describe(
            'present when this instant does not fire because its date is excluded: the date ("2027-01-01") of the schedule\'s own exclude, or "calendar NAME"',
          ),
        skipped: z
          .string()
          .optional()
          .describe('present when this instant was skipped by hand: the recorded reason, "skipped by alice"'),
      }),
    ),
    unlistedPassedOver: z
      .boolean()
      .describe(
        `true when more excluded or skipped instants lie among these than the list shows (at most ${MAX_LISTED_PASSED_OVER} are listed)`,
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

/**
 * The next `count` instants that fire, with the excluded and hand-skipped ones among them kept
 * and marked, so the list shows what will and will not happen.
 */
async function buildPreview(
  db: Database,
  timing: ScheduleTiming,
  definition: Pick<Schedule, "exclude" | "calendars"> & { name?: string | undefined },
  range: { from: Date; count: number; now: Date },
) {
  const { matchers, missingCalendars } = await loadExclusions(db, definition);
  const name = definition.name;
  const skipped =
    name !== undefined && NAME_PATTERN.test(name) ? await listHandSkips(db, name, range.from) : undefined;
  const { instants, hasUnlistedPassedOver } = listPreviewInstants(timing, {
    from: range.from,
    count: range.count,
    matchers,
    ...(skipped ? { skipped } : {}),
  });
  return {
    timezone: timing.timezone,
    summary: describeSchedule(timing),
    from: range.from.toISOString(),
    fireTimes: instants.map(({ at, exclusion, skipReason }) => ({
      ...describeFireTime(timing, at),
      ...(exclusion ? { excluded: labelExclusion(exclusion) } : {}),
      ...(skipReason !== null ? { skipped: skipReason } : {}),
    })),
    unlistedPassedOver: hasUnlistedPassedOver,
    warnings: [
      ...computeScheduleWarnings(timing, range.now),
      ...missingCalendars.map((calendar) => `calendar "${calendar}" does not exist, so it excludes nothing`),
    ],
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
        description:
          "Lists instants until `count` of them fire; the excluded ones (by the schedule's exclude dates or its calendars, read on its zone's calendar) and the ones skipped by hand stay in the list, marked `excluded` or `skipped`.",
        params: nameParamsSchema,
        querystring: z.strictObject({ count: countSchema, from: fromSchema }),
        response: { 200: previewSchema, ...errorResponses, 404: errorBodySchema },
      },
    },
    async (request) => {
      const row = await getSchedule(ctx.deps.database.db, request.params.name);
      const now = ctx.now();
      const from = request.query.from ? new Date(request.query.from) : now;
      return buildPreview(ctx.deps.database.db, toTiming(row), row, {
        from,
        count: request.query.count ?? 5,
        now,
      });
    },
  );

  app.post(
    "/api/v1/preview",
    {
      schema: {
        tags: ["preview"],
        summary: "Next fire instants of an unsaved definition",
        description:
          "Body: the schedule fields (as for create), plus count and from. Nothing is saved. Excluded instants are marked as for a saved schedule; with a `name`, so are that schedule's hand skips.",
        body: unsavedPreviewSchema,
        response: { 200: previewSchema, ...errorResponses },
      },
    },
    async (request) => {
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
      return buildPreview(
        ctx.deps.database.db,
        timing,
        { exclude: draft.exclude, calendars: draft.calendars, name },
        { from: from ? new Date(from) : now, count: count ?? 5, now },
      );
    },
  );
  done();
};
