export { buildApp } from "./app.js";
export type { ApiConfig, ApiDeps, RateLimitOptions } from "./deps.js";
export { assertSafeBinding, isLoopbackHost, startApi, type ApiExtras, type RunningApi } from "./startApi.js";
export { createApiMetrics, type ApiMetrics } from "./plugins/metrics.js";
