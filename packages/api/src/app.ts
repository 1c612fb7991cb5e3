import fastifyHelmet from "@fastify/helmet";
import { createScheduleWriter, renderMetrics } from "@hotbeat/shared";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { ApiDeps } from "./deps.js";
import { registerAuth } from "./plugins/auth.js";
import { registerDatabaseDeadline } from "./plugins/databaseDeadline.js";
import { registerDocs } from "./plugins/docs.js";
import { registerErrorHandler } from "./plugins/errors.js";
import { registerInputGuard } from "./plugins/inputGuard.js";
import { registerJsonParser } from "./plugins/jsonParser.js";
import { createApiMetrics, registerMetrics } from "./plugins/metrics.js";
import { registerRateLimit } from "./plugins/rateLimit.js";
import { registerRawBody } from "./plugins/rawBody.js";
import { registerRequestLog } from "./plugins/requestLog.js";
import { registerUi } from "./plugins/ui.js";
import { calendarRoutes } from "./routes/calendars.js";
import type { RouteContext } from "./routes/context.js";
import { backfillRoutes } from "./routes/backfill.js";
import { eventRoutes } from "./routes/events.js";
import { healthRoutes } from "./routes/health.js";
import { legacyRoutes } from "./routes/legacy.js";
import { previewRoutes } from "./routes/preview.js";
import { runRoutes } from "./routes/runs.js";
import { scheduleChangeRoutes } from "./routes/scheduleChanges.js";
import { schedulerRoutes } from "./routes/scheduler.js";
import { skipRoutes } from "./routes/skip.js";
import { scheduleRoutes } from "./routes/schedules.js";
import { timeZoneRoutes } from "./routes/timeZones.js";
import { transferRoutes } from "./routes/transfer.js";
import { createAppliedWaiter } from "./schedulers/appliedWaiter.js";

/** 256 KiB: four times the largest payload a schedule may carry, with room for the rest. */
const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Builds the HTTP API on the given dependencies, ready for `inject()` or `listen()`. Opens no
 * connection of its own except the one `?wait=applied` subscriber, closed with the app.
 */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  // Widened on purpose: typed as pino's Logger, the instance type would not fit Fastify's helpers.
  const loggerInstance: FastifyBaseLogger = deps.log;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    // The request log is hotbeat's own (plugins/requestLog.ts), one line per request.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const now = deps.now ?? (() => new Date());
  const metrics = createApiMetrics();
  const waiter = createAppliedWaiter({
    redis: deps.redis,
    createSubscriber: deps.createSubscriber ?? (() => deps.redis.duplicate()),
    namespace: deps.config.redisNamespace,
    log: deps.log,
  });
  const writer = createScheduleWriter({
    db: deps.database,
    publisher: deps.redis,
    log: deps.log.child({ component: "write-path" }),
    defaultTimezone: deps.config.defaultTimezone,
    now,
    namespace: deps.config.redisNamespace,
  });
  const ctx: RouteContext = { deps, writer, waiter, metrics, now };
  app.addHook("onClose", async () => waiter.close());

  registerErrorHandler(app, deps.log);
  registerRequestLog(app);
  registerJsonParser(app);
  registerRawBody(app);
  registerInputGuard(app);
  registerMetrics(app, metrics);
  registerDatabaseDeadline(app, deps.databaseDeadlineMs);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      // The UI ships scripts as files; none inline. Plain HTTP on a LAN must not be upgraded.
      directives: { "script-src": ["'self'"], "upgrade-insecure-requests": null },
    },
  });
  await registerRateLimit(app, deps);
  registerAuth(app, deps.config.apiToken);
  await registerDocs(app, { hasToken: Boolean(deps.config.apiToken) });

  const renderAllMetrics = () => renderMetrics([metrics.registry, ...(deps.metricsRegistries ?? [])]);
  const routes = app.withTypeProvider<ZodTypeProvider>();
  await routes.register(healthRoutes, { ctx, renderMetrics: renderAllMetrics });
  await routes.register(scheduleRoutes, { ctx });
  await routes.register(scheduleChangeRoutes, { ctx });
  await routes.register(previewRoutes, { ctx });
  await routes.register(transferRoutes, { ctx });
  await routes.register(calendarRoutes, { ctx });
  await routes.register(runRoutes, { ctx });
  await routes.register(skipRoutes, { ctx });
  await routes.register(backfillRoutes, { ctx });
  await routes.register(schedulerRoutes, { ctx });
  await routes.register(legacyRoutes, { ctx });
  await routes.register(eventRoutes, { ctx });
  await routes.register(timeZoneRoutes);
  await registerUi(app);
  return app;
}
