import { EventEmitter, setMaxListeners } from "node:events";
import {
  TimeoutError,
  withTimeout,
  claimRuns,
  finishRuns,
  RUNS_QUEUE,
  serializeError,
  type Database,
  type Logger,
  type RunClaim,
  type RunFinish,
  type RunOutcome,
  type RunRow,
} from "@hotbeat/shared";
import { Worker, type ConnectionOptions, type Job, type WorkerListener } from "bullmq";
import { createGroupCommit } from "./groupCommit.js";
import { processRunJob, type RunJobResult } from "./processRunJob.js";
import type { RunWorkerEvents } from "./runEvents.js";
import type { TaskRegistry } from "./taskRegistry.js";

export interface CreateWorkerOptions {
  db: Database;
  /** An ioredis client (with `maxRetriesPerRequest: null`, as BullMQ workers need) or its options. */
  connection: ConnectionOptions;
  /** The deployment's Redis namespace, used as BullMQ's key prefix. */
  namespace: string;
  registry: TaskRegistry;
  /** Runs executed at once by this process. */
  concurrency: number;
  log: Logger;
  /**
   * How long BullMQ's lock on an active job lasts without renewal (default 30 s): a worker that
   * dies mid-task has its job picked up by another after at most this plus `stalledIntervalMs`.
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (default 30 s). */
  stalledIntervalMs?: number;
  /** How many worker deaths a run survives before it fails without another try (default 2). */
  maxStalls?: number;
  /** How long to keep retrying a claim while PostgreSQL is away before postponing the job (default 30 s). */
  claimRetryMs?: number;
  /** How long to keep retrying the record of an outcome while PostgreSQL is away (default 5 min). */
  finishRetryMs?: number;
  /**
   * Hears of the runs whose final outcome this worker recorded, once each (the first finish
   * wins), right after the statement; it is how alerts learn of outcomes. What it throws is logged.
   */
  onRunsFinished?: (runs: readonly RunRow[]) => void;
}

export interface CloseOptions {
  /** How long in-flight tasks may run on before their signal is aborted (default 30 s). */
  graceMs?: number;
}

/** After the abort, how long a handler has to notice it before the worker closes anyway. */
const ABORT_UNWIND_MS = 5000;

/**
 * A BullMQ Worker takes its jobs one at a time, each a round trip to Redis, whatever its
 * concurrency: 50 runs due at once wait for 50 fetches in a row, 10–20 ms here before the last
 * one starts. Several Workers on the same queue in one process fetch side by side; each takes
 * a share of the concurrency, so the process still runs at most `concurrency` tasks at once.
 */
const JOBS_PER_FETCH_LOOP = 25;
const MAX_FETCH_LOOPS = 4;

/** `concurrency` split over the fetch loops, as evenly as it goes (every share at least 1). */
export function fetchLoopShares(concurrency: number): number[] {
  const loops = Math.max(1, Math.min(MAX_FETCH_LOOPS, Math.ceil(concurrency / JOBS_PER_FETCH_LOOP)));
  const base = Math.floor(concurrency / loops);
  return Array.from({ length: loops }, (_, i) => base + (i < concurrency % loops ? 1 : 0));
}

async function settlesWithin(promises: Iterable<Promise<unknown>>, ms: number): Promise<boolean> {
  try {
    await withTimeout(Promise.allSettled(promises), ms, "in-flight tasks");
    return true;
  } catch (error) {
    if (error instanceof TimeoutError) return false;
    throw error;
  }
}

/**
 * A BullMQ worker on the runs queue that executes registered tasks and records every run in
 * PostgreSQL. Emits `started`, `retrying`, `finished` and `declined` (see {@link RunWorkerEvents}).
 */
export class RunWorker extends EventEmitter<RunWorkerEvents> {
  /** The underlying BullMQ workers, one per fetch loop (see {@link fetchLoopShares}). */
  readonly fetchLoops: readonly Worker[];
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(options: CreateWorkerOptions) {
    super();
    // Every line of the worker and of its tasks goes through this child: an `err` is logged without
    // the fields where a query's bound values (and with them a payload's secrets) would travel.
    // Each in-flight run listens to this signal; at a high concurrency that is more than Node's
    // default of 10 listeners, which is no leak.
    setMaxListeners(0, this.shutdown.signal);
    this.log = options.log.child({ component: "worker" }, { serializers: { err: serializeError } });
    const maxStalls = options.maxStalls ?? 2;
    // Claims and finishes of a burst share statements: one round trip for many runs.
    const claim = createGroupCommit(
      (item: RunClaim) => item.runId,
      (claims) => claimRuns(options.db, claims),
    );
    const finish = createGroupCommit(
      (item: RunFinish) => item.runId,
      async (finishes) => {
        const finished = await finishRuns(options.db, finishes);
        try {
          if (finished.size > 0) options.onRunsFinished?.([...finished.values()]);
        } catch (error) {
          // The outcomes are recorded: a listener's fault must not make them look unrecorded.
          this.log.warn({ err: error }, "a listener of finished runs failed");
        }
        return finished;
      },
    );
    const deps = {
      db: options.db,
      registry: options.registry,
      log: this.log,
      shutdownSignal: this.shutdown.signal,
      maxStalls,
      claim: (runId: string, attempt: number) => claim({ runId, attempt }),
      finish: (runId: string, outcome: RunOutcome) => finish({ runId, outcome }),
      claimRetryMs: options.claimRetryMs ?? 30_000,
      finishRetryMs: options.finishRetryMs ?? 300_000,
      emit: <K extends keyof RunWorkerEvents>(event: K, ...args: RunWorkerEvents[K]) =>
        (this.emit as (event: K, ...args: RunWorkerEvents[K]) => boolean)(event, ...args),
    };
    const processor = (job: Job, token?: string): Promise<RunJobResult> => {
      const work = processRunJob(deps, job, token);
      const tracked = work.then(
        () => undefined,
        () => undefined,
      );
      this.inFlight.add(tracked);
      void tracked.then(() => this.inFlight.delete(tracked));
      return work;
    };
    this.fetchLoops = fetchLoopShares(options.concurrency).map((concurrency) => {
      const loop = new Worker(RUNS_QUEUE, processor, {
        connection: options.connection,
        prefix: options.namespace,
        concurrency,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        // One above ours, so that processRunJob, which also records the run, is the one that gives up.
        maxStalledCount: maxStalls + 1,
      });
      // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself.
      loop.on("error", (error) => this.log.warn({ err: error }, "queue connection error"));
      return loop;
    });
  }

  /** Listens to one of BullMQ's Worker events on every fetch loop. */
  onQueueEvent<E extends "active" | "failed" | "completed">(event: E, listener: WorkerListener[E]): void {
    for (const loop of this.fetchLoops) loop.on(event, listener);
  }

  /** Resolves once the worker's Redis connections are ready. */
  async waitUntilReady(): Promise<void> {
    await Promise.all(this.fetchLoops.map((loop) => loop.waitUntilReady()));
  }

  /**
   * Stops taking jobs, lets in-flight tasks finish within `graceMs`, then aborts their signals;
   * an aborted run is put back on the queue at once for another worker.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.closeOnce(options.graceMs ?? 30_000);
    return this.closing;
  }

  private async closeOnce(graceMs: number): Promise<void> {
    // BullMQ's close() stops fetching (it also cuts a blocking fetch in flight, which pause() would
    // not) and then waits for active jobs without limit; the grace period is enforced around it.
    const closed = Promise.all(this.fetchLoops.map((loop) => loop.close()));
    if (await settlesWithin([closed], graceMs)) return;
    this.log.warn({ inFlight: this.inFlight.size, graceMs }, "grace period over; aborting in-flight tasks");
    this.shutdown.abort();
    if (await settlesWithin([closed], ABORT_UNWIND_MS)) return;
    // Only a ledger write stuck on an unreachable PostgreSQL gets here; its job's lock expires and
    // another worker takes the run over, so the process may go.
    this.log.error({ inFlight: this.inFlight.size }, "in-flight runs did not stop; closing anyway");
    closed.catch((error: unknown) => this.log.warn({ err: error }, "worker close failed"));
  }
}

/** Creates and starts a {@link RunWorker}. */
export function createWorker(options: CreateWorkerOptions): RunWorker {
  return new RunWorker(options);
}
