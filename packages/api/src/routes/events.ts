import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../contracts/responses.js";
import { createLiveFeed, type LiveEvent } from "../live/liveFeed.js";
import type { RouteContext } from "./context.js";

/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

const formatEvent = (event: LiveEvent) => `id: ${event.id}\nevent: ${event.event}\ndata: ${event.data}\n\n`;

/**
 * `GET /api/v1/events`: Server-Sent Events of schedule changes and run transitions. Auth is the
 * Authorization header, as on every /api route: the page reads the stream with fetch, which
 * can send it, rather than EventSource, which would need the token in the URL (and so in logs).
 */
export const eventRoutes: FastifyPluginCallbackZod<{ ctx: RouteContext }> = (app, { ctx }, done) => {
  const { deps } = ctx;
  const feed = createLiveFeed({
    db: deps.database.db,
    createSubscriber: deps.createSubscriber ?? (() => deps.redis.duplicate()),
    namespace: deps.config.redisNamespace,
    log: deps.log.child({ component: "live-feed" }),
    now: ctx.now,
    ...(deps.config.pollIntervalMs !== undefined ? { sqlEditPollMs: deps.config.pollIntervalMs } : {}),
  });
  app.addHook("onClose", async () => feed.close());
  const open = new Set<() => void>();
  // Open streams never end by themselves; closing the server would wait for them forever.
  app.addHook("preClose", (next) => {
    for (const end of open) end();
    next();
  });

  app.get(
    "/api/v1/events",
    {
      schema: {
        tags: ["events"],
        summary: "Live changes: Server-Sent Events",
        description:
          "`event: schedule` carries a listed schedule (as in the list, with nextFireAt and summary), or `{ name, deleted: true }`; `event: run` carries a run. Send `Last-Event-ID` to resume; `event: reset` means events were missed and what is shown must be reloaded.",
        headers: z.looseObject({ "last-event-id": z.string().max(100).optional() }),
        response: { 200: z.string().describe("text/event-stream"), ...errorResponses },
      },
    },
    (request, reply) => {
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      out.write("retry: 1000\n\n");
      const following = feed.follow(
        (event) => out.write(formatEvent(event)),
        request.headers["last-event-id"],
      );
      if (following.isGap) out.write("event: reset\ndata: {}\n\n");
      const heartbeat = setInterval(() => out.write(": keep-alive\n\n"), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        following.stop();
        open.delete(end);
        if (!out.writableEnded) out.end();
      };
      open.add(end);
      request.raw.on("close", end);
    },
  );
  done();
};
