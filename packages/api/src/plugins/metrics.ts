import {
  Counter,
  createMetricsRegistry,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type MetricsRegistry,
} from "@hotbeat/shared";
import type { FastifyInstance } from "fastify";

/** The API's own metrics, in a registry of their own (merged with the others on /metrics). */
export interface ApiMetrics {
  readonly registry: MetricsRegistry;
  recordRequest(method: string, route: string, status: number, seconds: number): void;
  /** Schedule changes through the write path (`create`, `update`, `delete`, `import`). */
  recordScheduleWrite(op: string, count?: number): void;
}

/** Creates the metrics of one app. */
export function createApiMetrics(): ApiMetrics {
  const registry = createMetricsRegistry();
  const requests = new Counter({
    name: "hotbeat_http_requests_total",
    help: "HTTP requests answered, by route and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "hotbeat_http_request_duration_seconds",
    help: "Time to answer an HTTP request.",
    labelNames: ["method", "route"] as const,
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [registry],
  });
  const writes = new Counter({
    name: "hotbeat_schedule_writes_total",
    help: "Schedule changes saved through the API, by operation.",
    labelNames: ["op"] as const,
    registers: [registry],
  });
  return {
    registry,
    recordRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    recordScheduleWrite(op, count = 1) {
      writes.inc({ op }, count);
    },
  };
}

/**
 * Counts every answer by its route pattern (`/api/v1/schedules/:name`), never the raw URL, so
 * the number of series stays bounded whatever clients send.
 */
export function registerMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.recordRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
