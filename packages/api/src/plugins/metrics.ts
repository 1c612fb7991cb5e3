import type { FastifyInstance } from "fastify";

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/** The API's own counters, rendered as Prometheus text; small enough not to need prom-client. */
export interface ApiMetrics {
  recordRequest(method: string, route: string, status: number, seconds: number): void;
  /** One schedule change through the write path (`create`, `update`, `delete`, `import`). */
  recordScheduleWrite(op: string, count?: number): void;
  render(): string;
}

/** Creates the in-memory metrics of one app. */
export function createApiMetrics(): ApiMetrics {
  const requests = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  const writes = new Map<string, number>();

  return {
    recordRequest(method, route, status, seconds) {
      const key = labels({ method, route, status: String(status) });
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const histogramKey = labels({ method, route });
      const histogram = latency.get(histogramKey) ?? {
        buckets: LATENCY_BUCKETS_SECONDS.map(() => 0),
        sum: 0,
        count: 0,
      };
      LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
        if (seconds <= le) histogram.buckets[i]! += 1;
      });
      histogram.sum += seconds;
      histogram.count += 1;
      latency.set(histogramKey, histogram);
    },
    recordScheduleWrite(op, count = 1) {
      const key = labels({ op });
      writes.set(key, (writes.get(key) ?? 0) + count);
    },
    render() {
      const lines: string[] = [
        "# HELP hotbeat_http_requests_total HTTP requests answered, by route and status.",
        "# TYPE hotbeat_http_requests_total counter",
        ...[...requests].map(([key, value]) => `hotbeat_http_requests_total{${key}} ${value}`),
        "# HELP hotbeat_http_request_duration_seconds Time to answer an HTTP request.",
        "# TYPE hotbeat_http_request_duration_seconds histogram",
      ];
      for (const [key, h] of latency) {
        LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
          lines.push(`hotbeat_http_request_duration_seconds_bucket{${key},le="${le}"} ${h.buckets[i]}`);
        });
        lines.push(`hotbeat_http_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`);
        lines.push(`hotbeat_http_request_duration_seconds_sum{${key}} ${h.sum}`);
        lines.push(`hotbeat_http_request_duration_seconds_count{${key}} ${h.count}`);
      }
      lines.push(
        "# HELP hotbeat_schedule_writes_total Schedule changes saved through the API, by operation.",
        "# TYPE hotbeat_schedule_writes_total counter",
        ...[...writes].map(([key, value]) => `hotbeat_schedule_writes_total{${key}} ${value}`),
      );
      return `${lines.join("\n")}\n`;
    },
  };
}

function labels(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`)
    .join(",");
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
