import { listSchedules } from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { labelQuerySchema, readLabelSelector } from "../contracts/scheduleList.js";
import { toExportedSchedule } from "../contracts/scheduleView.js";
import { appliedSchema, errorResponses, exportedScheduleSchema } from "../contracts/responses.js";
import { readChangeContext, writeHeadersSchema, writeQuerySchema } from "../contracts/writeOptions.js";
import { writeWithApplied } from "../schedulers/writeWithApplied.js";
import type { RouteContext } from "./context.js";

const importQuerySchema = writeQuerySchema.extend({
  label: labelQuerySchema.describe(
    "import only the document's schedules whose labels match this selector (syntax of the list's ?label=)",
  ),
  dryRun: z
    .enum(["true", "false"], { message: "must be true or false" })
    .optional()
    .describe("validate and show what would happen; nothing is written"),
});

const importBodySchema = z.strictObject({
  schedules: z
    .array(z.record(z.string(), z.unknown()), { message: "must be an array of schedules" })
    .max(10_000, "at most 10000 schedules per import")
    .describe(
      "schedule definitions as create takes them; version, createdAt, updatedAt, updatedBy (as export emits them) are ignored",
    ),
  exportedAt: z
    .string()
    .optional()
    .describe("as export emits it, so an export can be imported as it is; ignored"),
});

/** All schedules out as JSON, and an atomic upsert of many back in. */
export const transferRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const hasToken = Boolean(ctx.deps.config.apiToken);

  app.get(
    "/api/v1/export",
    {
      schema: {
        tags: ["transfer"],
        summary: "Every schedule, in a document import takes back",
        querystring: z.strictObject({
          label: labelQuerySchema.describe(
            "only the schedules this selector matches (as the list's ?label=)",
          ),
        }),
        response: {
          200: z.object({ exportedAt: z.string(), schedules: z.array(exportedScheduleSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const labelSelector = readLabelSelector(request.query.label);
      const rows = await listSchedules(ctx.deps.database.db, labelSelector ? { labelSelector } : {});
      return { exportedAt: ctx.now().toISOString(), schedules: rows.map(toExportedSchedule) };
    },
  );

  app.post(
    "/api/v1/import",
    {
      schema: {
        tags: ["transfer"],
        summary: "Create or update many schedules at once, all or nothing",
        description:
          "Every item is validated first (errors name schedules[i].field) and all are written in one transaction. Schedules absent from the document are left alone.",
        body: importBodySchema,
        querystring: importQuerySchema,
        headers: writeHeadersSchema,
        response: {
          200: z.object({
            dryRun: z.boolean(),
            results: z.array(
              z.object({
                name: z.string(),
                action: z.enum(["create", "update", "unchanged"]),
                version: z.number().int(),
                warnings: z.array(z.string()),
              }),
            ),
            leftOut: z
              .number()
              .int()
              .describe("how many of the document's schedules ?label= left out; 0 without it"),
            applied: appliedSchema.optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const dryRun = request.query.dryRun === "true";
      const labelSelector = readLabelSelector(request.query.label);
      const items = (request.rawBody as { schedules: unknown[] }).schedules;
      const { actor, note } = readChangeContext(request, request.query, { hasToken });
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => {
          const outcomes = await ctx.writer.importMany(
            items,
            { actor, note, source: "import" },
            { dryRun, ...(labelSelector && { labelSelector }) },
          );
          const targets = dryRun ? [] : outcomes.filter((o) => o.action !== "unchanged");
          return { result: outcomes, targets };
        },
      );
      if (!dryRun) {
        const written = result.filter((o) => o.action !== "unchanged").length;
        if (written > 0) ctx.metrics.recordScheduleWrite("import", written);
      }
      // Every item the selector keeps has its outcome (one that fails validation fails the import).
      const leftOut = items.length - result.length;
      return { dryRun, results: result, leftOut, ...(applied && { applied }) };
    },
  );
  done();
};
