import type { ScheduleWriter } from "@hotbeat/shared";
import type { ApiDeps } from "../deps.js";
import type { ApiMetrics } from "../plugins/metrics.js";
import type { AppliedWaiter } from "../schedulers/appliedWaiter.js";

/** What every route plugin receives: the app's dependencies and the few objects built from them. */
export interface RouteContext {
  deps: ApiDeps;
  writer: ScheduleWriter;
  waiter: AppliedWaiter;
  metrics: ApiMetrics;
  now: () => Date;
}
