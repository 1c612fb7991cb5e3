import { AppError } from "@hotbeat/shared";
import { ZodError } from "zod";
import { describeThrown, isErrorSafely } from "./describeThrown.js";

/**
 * A failure that retrying cannot fix: a bad payload, a refused address, a 404. The worker marks the
 * run failed at once and tells BullMQ not to retry (UnrecoverableError).
 */
export class PermanentTaskError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("task_permanent", message, [], options);
  }
}

/**
 * A failure worth retrying (a 503, a reset connection). Any other error a handler throws counts as
 * transient too; this class exists to carry a server's `Retry-After`.
 */
export class TransientTaskError extends AppError {
  constructor(
    message: string,
    /** How long the other side asked us to wait before the next attempt. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super("task_transient", message, [], options);
  }
}

/** The handler ran past its task's timeout; its signal was aborted with this reason. */
export class TaskTimeoutError extends AppError {
  constructor(readonly timeoutMs: number) {
    super("task_timeout", `task timed out after ${timeoutMs} ms`);
  }
}

/** The worker shut down before the handler finished; its signal was aborted with this reason. */
export class WorkerShutdownError extends AppError {
  constructor() {
    super("worker_shutdown", "the worker shut down before the task finished; it will run again");
  }
}

/** How the worker treats a failed attempt. */
export interface TaskFailure {
  kind: "permanent" | "transient" | "shutdown";
  message: string;
  retryAfterMs?: number;
}

/** Formats zod issues as `payload.url: must be …; payload.method: …`, naming each field. */
export function formatIssues(error: ZodError, root: string): string {
  return error.issues
    .map((issue) => `${[root, ...issue.path.map(String)].join(".")}: ${issue.message}`)
    .join("; ");
}

function classifyError(error: Error): TaskFailure {
  if (error instanceof WorkerShutdownError) return { kind: "shutdown", message: error.message };
  if (error instanceof PermanentTaskError) return { kind: "permanent", message: error.message };
  // A handler that validates its own input with zod gets the same treatment as the worker's check.
  if (error instanceof ZodError) return { kind: "permanent", message: formatIssues(error, "payload") };
  if (error instanceof TransientTaskError) {
    return error.retryAfterMs === undefined
      ? { kind: "transient", message: error.message }
      : { kind: "transient", message: error.message, retryAfterMs: error.retryAfterMs };
  }
  return { kind: "transient", message: describeThrown(error) };
}

/**
 * Sorts anything thrown by (or around) a handler into permanent, transient or shutdown. Never
 * throws: a value that cannot even be inspected is a transient failure, so the task's retry
 * policy stays in charge.
 */
export function classifyTaskFailure(thrown: unknown): TaskFailure {
  if (!isErrorSafely(thrown)) return { kind: "transient", message: describeThrown(thrown) };
  try {
    return classifyError(thrown);
  } catch {
    return { kind: "transient", message: describeThrown(thrown) };
  }
}
