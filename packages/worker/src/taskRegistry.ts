import type { Logger } from "@hotbeat/shared";
import type { ZodType } from "zod";

/** What a handler knows about the run it executes. */
export interface TaskContext {
  /** The run's id: stable across every attempt, so it is the idempotency key to hand downstream. */
  runId: string;
  scheduleName: string;
  /** The fire instant this run is for (not the time it started). */
  scheduledAt: Date;
  /** 1 on the first execution, counted in PostgreSQL across retries and worker crashes. */
  attempt: number;
  /** Aborted when the task times out or the worker shuts down; pass it to anything cancellable. */
  signal: AbortSignal;
  log: Logger;
}

export type TaskHandler<P = unknown> = (payload: P, context: TaskContext) => Promise<unknown>;

/** How often and how far apart a transient failure is retried. */
export interface RetryPolicy {
  /** Executions in all, the first included (BullMQ's meaning of `attempts`); 1 means no retry. */
  attempts: number;
  /** Delay before the first retry; each further retry doubles it. */
  backoffMs: number;
  /** Upper bound of one delay, also of a server's `Retry-After`. Default one hour. */
  maxBackoffMs?: number;
}

/** A task as given to {@link TaskRegistry.register}. */
export interface TaskDefinition<P = unknown> {
  name: string;
  handler: TaskHandler<P>;
  /** Validates the run's payload before the handler sees it; a mismatch fails the run for good. */
  payloadSchema?: ZodType<P>;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Default 3 attempts, 1 s apart, then 2 s. */
  retries?: RetryPolicy;
}

/** A registered task with every default filled in. */
export interface RegisteredTask {
  name: string;
  handler: TaskHandler<unknown>;
  payloadSchema: ZodType<unknown> | undefined;
  timeoutMs: number;
  retries: Required<RetryPolicy>;
}

export interface TaskRegistry {
  /** Adds a task; a second task of the same name is a programming error and throws. */
  register<P>(definition: TaskDefinition<P>): TaskRegistry;
  get(name: string): RegisteredTask | undefined;
  names(): string[];
}

export const DEFAULT_TASK_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  attempts: 3,
  backoffMs: 1000,
  maxBackoffMs: 3_600_000,
};
/** setTimeout fires at once for anything above 2^31-1 ms, so no timeout may exceed it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function assertPositiveInteger(value: number, what: string, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new RangeError(`${what} must be a whole number from ${min} to ${MAX_TIMER_MS}, got ${value}`);
  }
}

/** Creates an empty registry of tasks a worker can run, looked up by the name a schedule names. */
export function createTaskRegistry(): TaskRegistry {
  const tasks = new Map<string, RegisteredTask>();
  const registry: TaskRegistry = {
    register<P>(definition: TaskDefinition<P>) {
      const { name } = definition;
      if (!name) throw new TypeError("a task needs a name");
      if (tasks.has(name)) throw new Error(`task "${name}" is already registered`);
      const timeoutMs = definition.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
      const retries = { ...DEFAULT_RETRY_POLICY, ...definition.retries };
      assertPositiveInteger(timeoutMs, `task "${name}": timeoutMs`, 1);
      assertPositiveInteger(retries.attempts, `task "${name}": retries.attempts`, 1);
      assertPositiveInteger(retries.backoffMs, `task "${name}": retries.backoffMs`, 0);
      assertPositiveInteger(retries.maxBackoffMs, `task "${name}": retries.maxBackoffMs`, 0);
      tasks.set(name, {
        name,
        // The payload is validated by payloadSchema before the call, so the widening is safe.
        handler: definition.handler as TaskHandler<unknown>,
        payloadSchema: definition.payloadSchema,
        timeoutMs,
        retries,
      });
      return registry;
    },
    get: (name) => tasks.get(name),
    names: () => [...tasks.keys()].sort(),
  };
  return registry;
}

/**
 * The delay before the next attempt after attempt `attempt` (1-based) failed: exponential from
 * `backoffMs`, or the server's `Retry-After` when it gave one, both capped by `maxBackoffMs`.
 */
export function computeRetryDelayMs(
  policy: Required<RetryPolicy>,
  attempt: number,
  retryAfterMs?: number,
): number {
  const wanted = retryAfterMs ?? policy.backoffMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(Math.max(0, wanted), policy.maxBackoffMs);
}
