import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The buckets of every hotbeat latency histogram, in seconds: from an HTTP answer (5 ms) to a fire
 * enqueued minutes late (300 s), the same everywhere so that dashboards can compare them.
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/** The Content-Type of the Prometheus text format `renderMetrics` writes. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

let processRegistry: Registry | undefined;

/**
 * The registry of the process and Node.js metrics (CPU, memory, event loop lag, GC), created on
 * first use. There is one per process whatever roles it runs, so that merged into the roles'
 * registries they appear once.
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A registry for one role's metrics (the API's, a scheduler's, a worker's), without the defaults. */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

/**
 * The Prometheus text of the process metrics and of every given role's registry, merged with
 * prom-client's `Registry.merge` (which refuses two metrics of one name).
 */
export async function renderMetrics(registries: readonly Registry[]): Promise<string> {
  return Registry.merge([processMetricsRegistry(), ...registries]).metrics();
}
