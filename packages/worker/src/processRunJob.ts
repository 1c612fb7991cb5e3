import {
  recordAttemptFailure,
  runJobDataSchema,
  type Database,
  type Logger,
  type RunOutcome,
  type RunRow,
} from "@hotbeat/shared";
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { ZodType } from "zod";
import { LedgerWriteRefusedError } from "./ledgerErrors.js";
import { retryDbWrite } from "./retryDbWrite.js";
import { toStoredResult } from "./toStoredResult.js";
import type { RunWorkerEvents } from "./runEvents.js";
import { runHandler } from "./runHandler.js";
import { classifyTaskFailure, formatIssues, PermanentTaskError } from "./taskErrors.js";
import { computeRetryDelayMs, type RegisteredTask, type TaskRegistry } from "./taskRegistry.js";

/** How long a job waits before trying again when PostgreSQL could not be written to at all. */
const LEDGER_UNAVAILABLE_DELAY_MS = 5000;

export interface RunJobDeps {
  db: Database;
  registry: TaskRegistry;
  log: Logger;
  /** Fires when the worker's grace period is over: in-flight handlers are aborted. */
  shutdownSignal: AbortSignal;
  /** How many times a run's worker may die under it before the run fails without another try. */
  maxStalls: number;
  /** claimRun, grouped with the claims of other jobs (see groupCommit.ts). */
  claim(runId: string, attempt: number): Promise<RunRow | null>;
  /** finishRun, grouped likewise. */
  finish(runId: string, outcome: RunOutcome): Promise<RunRow | null>;
  claimRetryMs: number;
  finishRetryMs: number;
  emit<K extends keyof RunWorkerEvents>(event: K, ...args: RunWorkerEvents[K]): unknown;
}

export interface RunJobResult {
  runId: string;
  status: "succeeded" | "not_claimable";
}

/** Puts the job back for later without counting a BullMQ attempt, which is how retries work here. */
async function postpone(job: Job, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

function parsePayload(schema: ZodType<unknown> | undefined, payload: unknown): unknown {
  if (!schema) return payload;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new PermanentTaskError(formatIssues(parsed.error, "payload"));
  return parsed.data;
}

/**
 * Executes one run job: validate the job, claim the run in PostgreSQL, call the task's handler
 * under its timeout, and record the outcome. Retries are driven from here rather than by the job's
 * `attempts` option, which the enqueuer owns: a transient failure moves the job to the delayed set
 * (BullMQ's DelayedError), and a final failure throws UnrecoverableError so that no `attempts`
 * setting can make BullMQ run the task again behind the run ledger's back.
 */
export async function processRunJob(
  deps: RunJobDeps,
  job: Job,
  token: string | undefined,
): Promise<RunJobResult> {
  const jobId = job.id ?? "unknown";
  const parsed = runJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    const message = `invalid run job: ${formatIssues(parsed.error, "data")}`;
    deps.log.error({ jobId }, message);
    deps.emit("declined", { jobId, reason: "invalid_job" });
    throw new UnrecoverableError(message);
  }
  const { runId, task: taskName, schedule } = parsed.data;
  const fields = { runId, schedule, task: taskName, jobId };
  // One child logger per run, made when first needed (a child serializes its fields when made):
  // before the claim only a failure logs; from the claim on, the child carries the attempt too.
  let childLog: Logger | undefined;
  const log = (): Logger => (childLog ??= deps.log.child(fields));
  /**
   * Writes to the ledger, retrying while PostgreSQL is away. When PostgreSQL refuses the write for
   * its content, `fallback` (the same outcome without the offending text) is written instead; with
   * none, or when that is refused too, the job fails for good rather than run the task again.
   */
  const record = async <T>(
    what: string,
    write: () => Promise<T>,
    maxElapsedMs: number,
    fallback?: (refusal: LedgerWriteRefusedError) => Promise<T>,
  ): Promise<T> => {
    try {
      try {
        return await retryDbWrite(write, { what, log, maxElapsedMs });
      } catch (error) {
        if (!(error instanceof LedgerWriteRefusedError) || !fallback) throw error;
        log().warn({ err: error }, "PostgreSQL refused the outcome's content; storing it without");
        return await retryDbWrite(() => fallback(error), { what, log, maxElapsedMs });
      }
    } catch (error) {
      if (error instanceof LedgerWriteRefusedError) {
        log().error({ err: error }, "PostgreSQL refused a run ledger write; the job is dropped");
        throw new UnrecoverableError(error.message);
      }
      log().error({ err: error }, "the run ledger is unavailable; the job will run again later");
      return postpone(job, token, LEDGER_UNAVAILABLE_DELAY_MS);
    }
  };
  /** The same failure with an error text PostgreSQL cannot refuse. */
  const failedWithoutText = (willRetry: boolean) => (refusal: LedgerWriteRefusedError) => {
    const error = `the task failed, but its error text could not be stored (${refusal.message})`;
    return willRetry
      ? recordAttemptFailure(deps.db, runId, error, true)
      : deps.finish(runId, { status: "failed", error });
  };
  const failWithoutRunning = async (reason: string): Promise<never> => {
    const row = await record(
      "record the failed run",
      () => deps.finish(runId, { status: "failed", error: reason }),
      deps.finishRetryMs,
      failedWithoutText(false),
    );
    log().error({ reason }, "run failed without running");
    if (row)
      deps.emit("finished", {
        runId,
        jobId,
        task: taskName,
        attempt: row.attempt,
        status: "failed",
        error: reason,
      });
    throw new UnrecoverableError(reason);
  };

  if (deps.shutdownSignal.aborted) {
    // A fetch that was in flight when the grace period ended: hand the job to another worker.
    return postpone(job, token, 0);
  }
  const task = deps.registry.get(taskName);
  if (!task)
    return failWithoutRunning(
      `unknown task "${taskName}"; this worker runs: ${deps.registry.names().join(", ")}`,
    );
  if (job.stalledCounter > deps.maxStalls) {
    return failWithoutRunning(
      `the worker running this task stopped ${job.stalledCounter} times; not trying again`,
    );
  }

  const run = await record("claim the run", () => deps.claim(runId, job.attemptsMade + 1), deps.claimRetryMs);
  if (!run) {
    log().info("run already finished or unknown; job dropped");
    deps.emit("declined", { jobId, runId, reason: "not_claimable" });
    return { runId, status: "not_claimable" };
  }
  const base = { runId, jobId, task: taskName, attempt: run.attempt };
  const attemptLog = (childLog = deps.log.child({ ...fields, attempt: run.attempt }));
  attemptLog.debug("run started");
  deps.emit("started", base);

  let result: unknown;
  try {
    const payload = parsePayload(task.payloadSchema, run.payload);
    result = await runHandler(
      (signal) =>
        task.handler(payload, {
          runId,
          scheduleName: run.scheduleName,
          scheduledAt: run.scheduledAt,
          attempt: run.attempt,
          signal,
          log: attemptLog,
        }),
      { timeoutMs: task.timeoutMs, shutdownSignal: deps.shutdownSignal, log: attemptLog },
    );
  } catch (error) {
    return handleFailure(deps, { job, token, task, base, log: attemptLog, record, failedWithoutText }, error);
  }
  await record(
    "record the run's success",
    () => deps.finish(runId, { status: "succeeded", result: toStoredResult(result, attemptLog) }),
    deps.finishRetryMs,
    (refusal) =>
      deps.finish(runId, {
        status: "succeeded",
        result: { omitted: `the result could not be stored (${refusal.message})` },
      }),
  );
  attemptLog.info("run succeeded");
  deps.emit("finished", { ...base, status: "succeeded" });
  return { runId, status: "succeeded" };
}

interface FailureScope {
  job: Job;
  token: string | undefined;
  task: RegisteredTask;
  base: { runId: string; jobId: string; task: string; attempt: number };
  log: Logger;
  record: <T>(
    what: string,
    write: () => Promise<T>,
    maxElapsedMs: number,
    fallback?: (refusal: LedgerWriteRefusedError) => Promise<T>,
  ) => Promise<T>;
  failedWithoutText: (willRetry: boolean) => (refusal: LedgerWriteRefusedError) => Promise<RunRow | null>;
}

async function handleFailure(deps: RunJobDeps, scope: FailureScope, error: unknown): Promise<never> {
  const { base, task, log } = scope;
  const failure = classifyTaskFailure(error);
  const isFinal =
    failure.kind === "permanent" || (failure.kind === "transient" && base.attempt >= task.retries.attempts);
  if (isFinal) {
    await scope.record(
      "record the run's failure",
      () => deps.finish(base.runId, { status: "failed", error: failure.message }),
      deps.finishRetryMs,
      scope.failedWithoutText(false),
    );
    log.warn({ err: error, kind: failure.kind }, "run failed");
    deps.emit("finished", { ...base, status: "failed", error: failure.message });
    throw new UnrecoverableError(failure.message);
  }
  // A shutdown is not the task's fault: hand the run straight to another worker.
  const retryInMs =
    failure.kind === "shutdown" ? 0 : computeRetryDelayMs(task.retries, base.attempt, failure.retryAfterMs);
  await scope.record(
    "record the failed attempt",
    () => recordAttemptFailure(deps.db, base.runId, failure.message, true),
    deps.finishRetryMs,
    scope.failedWithoutText(true),
  );
  log.warn({ err: error, kind: failure.kind, retryInMs }, "attempt failed; will retry");
  deps.emit("retrying", { ...base, error: failure.message, retryInMs });
  return postpone(scope.job, scope.token, retryInMs);
}
