/** Redis pub/sub channel every write publishes to after commit (SPEC §3). */
export const SCHEDULE_UPDATES_CHANNEL = "schedule_updates";
/** The BullMQ queue that carries one job per run. */
export const RUNS_QUEUE = "hotbeat-runs";
/** The BullMQ job name of a run. */
export const RUN_JOB_NAME = "run";
/** Redis key of the leader lease among schedulers. */
export const LEADER_LEASE_KEY = "hotbeat:scheduler:leader";
/** Redis key prefix of each scheduler's self-report (a hash with a TTL). */
export const SCHEDULER_STATUS_PREFIX = "hotbeat:scheduler:instance:";
/** Channel on which schedulers announce each applied change, for `?wait=applied`. */
export const SCHEDULE_APPLIED_CHANNEL = "hotbeat:schedule_applied";

/** The BullMQ job id of a run: deterministic, and free of ":", which BullMQ forbids in custom ids. */
export function runJobId(runId: string): string {
  return `run-${runId}`;
}
