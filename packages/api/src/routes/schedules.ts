import {
  getSchedule,
  listScheduleHistory,
  listSchedulesPage,
  scheduleCreateSchema,
  ScheduleNotFound,
  summarizeScheduleRuns,
} from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { runHealthSchema, toRunHealthJson, toScheduleView } from "../contracts/scheduleView.js";
import {
  errorBodySchema,
  errorResponses,
  scheduleJsonSchema,
  scheduleWriteSchema,
  toScheduleWriteJson,
} from "../contracts/responses.js";
import {
  matchesIfNoneMatch,
  readChangeContext,
  toEtag,
  writeHeadersSchema,
  writeQuerySchema,
} from "../contracts/writeOptions.js";
import {
  readLabelSelector,
  scheduleListQuerySchema,
  scheduleListSchema,
  toListedScheduleJson,
} from "../contracts/scheduleList.js";
import { buildHistoryEntrySchema, historyQuerySchema, toHistoryJson } from "../contracts/historyJson.js";
import { writeWithApplied } from "../schedulers/writeWithApplied.js";
import type { RouteContext } from "./context.js";

/** `:name` in a path; the pattern is checked by the write path and the queries alike. */
export const nameParamsSchema = z.strictObject({
  name: z.string().max(100, "must be at most 100 characters").describe("the schedule's name"),
});

const historyEntrySchema = buildHistoryEntrySchema("api, cli, ui, import or sql");

/** List, read, create and the history of schedules. */
export const scheduleRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const { db } = ctx.deps.database;
  const hasToken = Boolean(ctx.deps.config.apiToken);
  let warming: Promise<unknown> | undefined;

  // --- GET /api/v1/schedules: the paged list (schemas in ../contracts/scheduleList.ts) ---
  app.get(
    "/api/v1/schedules",
    {
      schema: {
        tags: ["schedules"],
        summary: "List schedules, filtered, by name or by next run, paged by cursor",
        description:
          "Without `limit`, every matching schedule in one answer. Each carries `nextFireAt` and `summary`.",
        querystring: scheduleListQuerySchema,
        response: { 200: scheduleListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { enabled, task, health, q, label, sort, limit, cursor } = request.query;
      const labelSelector = readLabelSelector(label);
      if (health !== undefined && warming) await warming;
      const page = await listSchedulesPage(
        db,
        {
          ...(labelSelector !== undefined ? { labelSelector } : {}),
          ...(enabled !== undefined ? { enabled: enabled === "true" } : {}),
          ...(task !== undefined ? { task } : {}),
          ...(health !== undefined ? { health } : {}),
          ...(q !== undefined ? { q } : {}),
          ...(sort !== undefined ? { sort } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(cursor !== undefined ? { cursor } : {}),
        },
        ctx.now(),
      );
      return { schedules: page.items.map(toListedScheduleJson), nextCursor: page.nextCursor };
    },
  );
  // The first list filtered by health checks every row once (a tenth of a millisecond each);
  // doing it as the API starts keeps that cost off the first person who asks, who waits for it
  // rather than doing it a second time beside it.
  app.addHook("onReady", (next) => {
    warming = listSchedulesPage(db, { health: "invalid", limit: 1 }, ctx.now())
      .catch((error: unknown) =>
        app.log.warn({ err: error }, "could not check the schedules' health ahead of the first list"),
      )
      .finally(() => {
        warming = undefined;
      });
    next();
  });
  // --- end of the list ---

  app.post(
    "/api/v1/schedules",
    {
      schema: {
        tags: ["schedules"],
        summary: "Create a schedule",
        description: "Exactly one of cron, intervalSeconds or runAt. Unknown fields are refused.",
        body: scheduleCreateSchema,
        querystring: writeQuerySchema,
        headers: writeHeadersSchema,
        response: { 201: scheduleWriteSchema, ...errorResponses, 409: errorBodySchema, 413: errorBodySchema },
      },
    },
    async (request, reply) => {
      const change = readChangeContext(request, request.query, { hasToken });
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => {
          const saved = await ctx.writer.create(request.rawBody, change);
          return { result: saved, targets: [{ name: saved.schedule.name, version: saved.schedule.version }] };
        },
      );
      ctx.metrics.recordScheduleWrite("create");
      reply
        .code(201)
        .header("etag", toEtag(result.schedule.version))
        .header("location", `/api/v1/schedules/${encodeURIComponent(result.schedule.name)}`);
      return toScheduleWriteJson(result, applied);
    },
  );

  app.get(
    "/api/v1/schedules/:name",
    {
      schema: {
        tags: ["schedules"],
        summary: "One schedule; its ETag is its version",
        params: nameParamsSchema,
        headers: z.looseObject({ "if-none-match": z.string().optional() }),
        response: {
          200: scheduleJsonSchema.extend({ runHealth: runHealthSchema }).meta({ id: "ScheduleDetail" }),
          304: z.null().describe("not modified"),
          ...errorResponses,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const row = await getSchedule(db, request.params.name);
      reply.header("etag", toEtag(row.version)).header("cache-control", "no-cache");
      if (matchesIfNoneMatch(request.headers["if-none-match"], row.version))
        return reply.code(304).send(null);
      const runHealth = toRunHealthJson(await summarizeScheduleRuns(db, row.name));
      return { ...toScheduleView(row), runHealth };
    },
  );

  app.get(
    "/api/v1/schedules/:name/history",
    {
      schema: {
        tags: ["schedules"],
        summary: "Every change: who, when, through what, old and new value; newest first",
        params: nameParamsSchema,
        querystring: historyQuerySchema,
        response: {
          200: z.object({ history: z.array(historyEntrySchema) }),
          ...errorResponses,
          404: errorBodySchema,
        },
      },
    },
    async (request) => {
      const rows = await listScheduleHistory(db, request.params.name, request.query.limit ?? 200);
      // A deleted schedule keeps its history; only a name that never existed is a 404.
      if (rows.length === 0) throw new ScheduleNotFound(request.params.name);
      return toHistoryJson(rows);
    },
  );
  done();
};
