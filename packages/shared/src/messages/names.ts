/** Redis pub/sub channel every write publishes to after commit. Fixed: other tools listen to it. */
export const SCHEDULE_UPDATES_CHANNEL = "schedule_updates";
/** The BullMQ job name of a run. */
export const RUN_JOB_NAME = "run";
/** The name of the BullMQ queue that carries one job per run. */
export const RUNS_QUEUE = "runs";
/**
 * Every other Redis key and channel of hotbeat lives under a namespace ("hotbeat" unless a
 * deployment or a test picks another), and so does BullMQ (its `prefix` option), so that two
 * deployments, or two test files, can share one Redis without touching each other's state.
 */
export const DEFAULT_REDIS_NAMESPACE = "hotbeat";

/** Redis key of the leader lease among schedulers. */
export function leaderLeaseKey(namespace: string): string {
  return `${namespace}:scheduler:leader`;
}
/** Redis key of one scheduler's self-report (a JSON string with a TTL). */
export function schedulerStatusKey(namespace: string, instanceId: string): string {
  return `${namespace}:scheduler:instance:${instanceId}`;
}
/** Pattern matching every scheduler's self-report, for SCAN. */
export function schedulerStatusPattern(namespace: string): string {
  return `${namespace}:scheduler:instance:*`;
}
/** Channel on which schedulers announce each applied change, for `?wait=applied`. */
export function scheduleAppliedChannel(namespace: string): string {
  return `${namespace}:schedule_applied`;
}

/** The BullMQ job id of a run: deterministic, and free of ":", which BullMQ forbids in custom ids. */
export function runJobId(runId: string): string {
  return `run-${runId}`;
}

/** Channel on which the scheduler, the API and workers announce that runs changed (queued, running, finished). */
export function runUpdatesChannel(namespace: string): string {
  return `${namespace}:run_updates`;
}

/**
 * The BullMQ queue of alert deliveries, apart from the runs so that a slow or failing alert
 * target never delays a run. Under the namespace prefix like every other key.
 */
export const ALERTS_QUEUE = "alerts";
/** The BullMQ job name of an alert delivery. */
export const ALERT_JOB_NAME = "alert";
