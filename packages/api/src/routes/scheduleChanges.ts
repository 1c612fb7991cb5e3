import { schedulePatchSchema } from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import {
  deleteAnswerSchema,
  errorBodySchema,
  errorResponses,
  scheduleWriteSchema,
  toScheduleWriteJson,
} from "../contracts/responses.js";
import {
  conditionalWriteHeadersSchema,
  readChangeContext,
  toEtag,
  writeQuerySchema,
} from "../contracts/writeOptions.js";
import { writeWithApplied } from "../schedulers/writeWithApplied.js";
import type { RouteContext } from "./context.js";
import { nameParamsSchema } from "./schedules.js";

const conflictResponses = { ...errorResponses, 404: errorBodySchema, 412: errorBodySchema } as const;

/** Partial update and delete, both guarded by `If-Match`. */
export const scheduleChangeRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const hasToken = Boolean(ctx.deps.config.apiToken);

  app.patch(
    "/api/v1/schedules/:name",
    {
      schema: {
        tags: ["schedules"],
        summary: "Change some fields of a schedule",
        description:
          "Setting one of cron, intervalSeconds or runAt clears the other two. With If-Match, a stale version gets 412 and nothing changes.",
        params: nameParamsSchema,
        body: schedulePatchSchema,
        querystring: writeQuerySchema,
        headers: conditionalWriteHeadersSchema,
        response: { 200: scheduleWriteSchema, ...conflictResponses },
      },
    },
    async (request, reply) => {
      const change = readChangeContext(request, request.query, { hasToken });
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => {
          const saved = await ctx.writer.update(request.params.name, request.rawBody, change);
          const targets = saved.changed
            ? [{ name: saved.schedule.name, version: saved.schedule.version }]
            : [];
          return { result: saved, targets };
        },
      );
      if (result.changed) ctx.metrics.recordScheduleWrite("update");
      reply.header("etag", toEtag(result.schedule.version));
      return toScheduleWriteJson(result, applied);
    },
  );

  app.delete(
    "/api/v1/schedules/:name",
    {
      schema: {
        tags: ["schedules"],
        summary: "Delete a schedule; its history stays",
        params: nameParamsSchema,
        querystring: writeQuerySchema,
        headers: conditionalWriteHeadersSchema,
        response: {
          200: deleteAnswerSchema,
          ...conflictResponses,
        },
      },
    },
    async (request) => {
      const change = readChangeContext(request, request.query, { hasToken });
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => {
          const deleted = await ctx.writer.remove(request.params.name, change);
          return { result: deleted, targets: [deleted] };
        },
      );
      ctx.metrics.recordScheduleWrite("delete");
      return { deleted: result, ...(applied && { applied }) };
    },
  );
  done();
};
