import type { JobsOptions, Queue } from "bullmq";
import type { RunRow } from "../db/schema.js";
import { RUN_JOB_NAME, runJobId } from "../messages/names.js";
import type { RunJobData } from "../messages/runJob.js";

/**
 * Options of every run job. The job id is the run id, so adding a run twice (a sweeper racing a
 * scheduler, a trigger retried) is a no-op: BullMQ ignores an add whose id it already holds.
 * BullMQ forgets an id once the job is removed, so finished jobs are kept a day (and failed ones
 * a week); past that, the run row's status in PostgreSQL is what stops a second execution.
 * Retries are the worker's business (each task's own policy, via BullMQ's delayed set); these
 * `attempts` and `backoff` only matter to a consumer that lets BullMQ retry by itself.
 */
export const RUN_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
} as const satisfies JobsOptions;

/** The job payload of a run: only a pointer to the row, which stays the truth. */
export function toRunJobData(run: RunRow): RunJobData {
  return {
    runId: run.id,
    schedule: run.scheduleName,
    task: run.task,
    scheduledAt: run.scheduledAt.toISOString(),
  };
}

/**
 * Adds a run's job to the runs queue under its deterministic id. Call {@link markEnqueued}
 * afterwards; a crash between the two only makes the sweeper add it again, harmlessly.
 */
export async function enqueueRun(queue: Queue, run: RunRow): Promise<void> {
  await queue.add(RUN_JOB_NAME, toRunJobData(run), { ...RUN_JOB_OPTIONS, jobId: runJobId(run.id) });
}

/** Jobs per `addBulk` call (one Redis MULTI each). */
const ENQUEUE_CHUNK_SIZE = 1000;

/**
 * {@link enqueueRun} for many runs: `addBulk` under the same deterministic ids and options, so a
 * run already in the queue is left as it is. Then mark them with `markEnqueuedMany`.
 */
export async function enqueueRuns(queue: Queue, runs: readonly RunRow[]): Promise<void> {
  const jobs = runs.map((run) => ({
    name: RUN_JOB_NAME,
    data: toRunJobData(run),
    opts: { ...RUN_JOB_OPTIONS, jobId: runJobId(run.id) },
  }));
  for (let i = 0; i < jobs.length; i += ENQUEUE_CHUNK_SIZE)
    await queue.addBulk(jobs.slice(i, i + ENQUEUE_CHUNK_SIZE));
}
