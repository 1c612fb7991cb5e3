import type { TaskDefinition } from "../taskRegistry.js";

/** The name schedules use for the built-in `log` task. */
export const LOG_TASK_NAME = "log";

/**
 * The built-in `log` task: writes the payload to the worker's log with the run id, and returns
 * nothing. Useful to try a schedule before pointing it at real work.
 */
export function createLogTask(): TaskDefinition<unknown> {
  return {
    name: LOG_TASK_NAME,
    timeoutMs: 10_000,
    retries: { attempts: 1, backoffMs: 0 },
    handler: (payload, context) => {
      context.log.info(
        { runId: context.runId, scheduledAt: context.scheduledAt.toISOString(), payload },
        "log task",
      );
      return Promise.resolve(null);
    },
  };
}
