import {
  calendarCreateSchema,
  calendarPatchSchema,
  createCalendarWriter,
  getCalendar,
  listCalendarHistory,
  listCalendars,
  CalendarNotFound,
  type CalendarWriteResult,
} from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  calendarHistoryEntrySchema,
  calendarJsonSchema,
  calendarWriteSchema,
  toCalendarView,
} from "../contracts/calendarJson.js";
import { deleteAnswerSchema, errorBodySchema, errorResponses } from "../contracts/responses.js";
import {
  conditionalWriteHeadersSchema,
  matchesIfNoneMatch,
  readChangeContext,
  toEtag,
  writeHeadersSchema,
  writeQuerySchema,
} from "../contracts/writeOptions.js";
import { historyQuerySchema, toHistoryJson } from "../contracts/historyJson.js";
import { writeWithApplied } from "../schedulers/writeWithApplied.js";
import type { RouteContext } from "./context.js";

const calendarParamsSchema = z.strictObject({
  name: z.string().max(100, "must be at most 100 characters").describe("the calendar's name"),
});

const notFoundResponses = { ...errorResponses, 404: errorBodySchema } as const;
const changeResponses = { ...notFoundResponses, 409: errorBodySchema, 412: errorBodySchema } as const;

const toWriteAnswer = (result: CalendarWriteResult) => ({
  calendar: toCalendarView(result),
  changed: result.changed,
  schedules: result.schedules,
});

/**
 * Shared named sets of dates that schedules exclude by name. A change to one is a change to every
 * schedule naming it: `?wait=applied` waits for each of them, and the answer lists their versions.
 */
export const calendarRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const { db } = ctx.deps.database;
  const hasToken = Boolean(ctx.deps.config.apiToken);
  const writer = createCalendarWriter({
    db: ctx.deps.database,
    publisher: ctx.deps.redis,
    log: ctx.deps.log.child({ component: "calendar-write-path" }),
  });

  app.get(
    "/api/v1/calendars",
    {
      schema: {
        tags: ["calendars"],
        summary: "Every calendar, by name, with how many schedules name it",
        response: { 200: z.object({ calendars: z.array(calendarJsonSchema) }), ...errorResponses },
      },
    },
    async () => ({ calendars: (await listCalendars(db)).map(toCalendarView) }),
  );

  app.post(
    "/api/v1/calendars",
    {
      schema: {
        tags: ["calendars"],
        summary: "Create a calendar",
        description:
          "Schedules that already name it (written by SQL) get a new version. Errors name the entry: dates.3.",
        body: calendarCreateSchema,
        querystring: writeQuerySchema,
        headers: writeHeadersSchema,
        response: { 201: calendarWriteSchema, ...errorResponses, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const change = readChangeContext(request, request.query, { hasToken });
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => {
          const saved = await writer.create(request.rawBody, change);
          return { result: saved, targets: saved.schedules };
        },
      );
      reply
        .code(201)
        .header("etag", toEtag(result.calendar.version))
        .header("location", `/api/v1/calendars/${encodeURIComponent(result.calendar.name)}`);
      return { ...toWriteAnswer(result), ...(applied && { applied }) };
    },
  );

  app.get(
    "/api/v1/calendars/:name",
    {
      schema: {
        tags: ["calendars"],
        summary: "One calendar; its ETag is its version",
        params: calendarParamsSchema,
        headers: z.looseObject({ "if-none-match": z.string().optional() }),
        response: { 200: calendarJsonSchema, 304: z.null().describe("not modified"), ...notFoundResponses },
      },
    },
    async (request, reply) => {
      const found = await getCalendar(db, request.params.name);
      reply.header("etag", toEtag(found.calendar.version)).header("cache-control", "no-cache");
      if (matchesIfNoneMatch(request.headers["if-none-match"], found.calendar.version))
        return reply.code(304).send(null);
      return toCalendarView(found);
    },
  );

  app.patch(
    "/api/v1/calendars/:name",
    {
      schema: {
        tags: ["calendars"],
        summary: "Change a calendar's description or dates",
        description:
          "dates replaces the whole list. Every schedule naming the calendar gets a new version, live at once. With If-Match, a stale version gets 412.",
        params: calendarParamsSchema,
        body: calendarPatchSchema,
        querystring: writeQuerySchema,
        headers: conditionalWriteHeadersSchema,
        response: { 200: calendarWriteSchema, ...changeResponses },
      },
    },
    async (request, reply) => {
      const change = readChangeContext(request, request.query, { hasToken });
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => {
          const saved = await writer.update(request.params.name, request.rawBody, change);
          return { result: saved, targets: saved.schedules };
        },
      );
      reply.header("etag", toEtag(result.calendar.version));
      return { ...toWriteAnswer(result), ...(applied && { applied }) };
    },
  );

  app.delete(
    "/api/v1/calendars/:name",
    {
      schema: {
        tags: ["calendars"],
        summary: "Delete a calendar no schedule names; its history stays",
        description: "Refused with 409 while schedules name it; the message lists up to 10 of them.",
        params: calendarParamsSchema,
        querystring: writeQuerySchema,
        headers: conditionalWriteHeadersSchema,
        response: {
          200: deleteAnswerSchema,
          ...changeResponses,
        },
      },
    },
    async (request) => {
      const change = readChangeContext(request, request.query, { hasToken });
      // No schedule names a calendar that can be deleted: there is nothing to wait for.
      const { result, applied } = await writeWithApplied(
        { waiter: ctx.waiter, query: request.query, log: request.log },
        async () => ({ result: await writer.remove(request.params.name, change), targets: [] }),
      );
      return { deleted: result, ...(applied && { applied }) };
    },
  );

  app.get(
    "/api/v1/calendars/:name/history",
    {
      schema: {
        tags: ["calendars"],
        summary: "Every change to a calendar: who, when, through what, old and new value; newest first",
        params: calendarParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: z.object({ history: z.array(calendarHistoryEntrySchema) }), ...notFoundResponses },
      },
    },
    async (request) => {
      const rows = await listCalendarHistory(db, request.params.name, request.query.limit ?? 200);
      // A deleted calendar keeps its history; only a name that never existed is a 404.
      if (rows.length === 0) throw new CalendarNotFound(request.params.name);
      return toHistoryJson(rows);
    },
  );
  done();
};
