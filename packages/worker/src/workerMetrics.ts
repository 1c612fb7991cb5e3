import {
  Counter,
  createMetricsRegistry,
  Gauge,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type MetricsRegistry,
} from "@hotbeat/shared";
import type { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import type { RunWorkerEvents } from "./runEvents.js";

/**
 * Counts a worker's runs from its events, in a registry of its own: attempts started and their
 * duration, retries, final outcomes and declined jobs.
 */
export function createWorkerMetrics(worker: EventEmitter<RunWorkerEvents>): MetricsRegistry {
  const registry = createMetricsRegistry();
  const startedAtMs = new Map<string, number>();
  const attempts = new Counter({
    name: "hotbeat_worker_attempts_total",
    help: "Attempts this worker started, by task.",
    labelNames: ["task"] as const,
    registers: [registry],
  });
  const attemptDuration = new Histogram({
    name: "hotbeat_worker_attempt_duration_seconds",
    help: "Time from an attempt's start to its retry or its final outcome, by task.",
    labelNames: ["task"] as const,
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [registry],
  });
  const retries = new Counter({
    name: "hotbeat_worker_retries_total",
    help: "Attempts that failed and will run again, by task.",
    labelNames: ["task"] as const,
    registers: [registry],
  });
  const finished = new Counter({
    name: "hotbeat_worker_runs_finished_total",
    help: "Runs that reached their final status on this worker, by task and status.",
    labelNames: ["task", "status"] as const,
    registers: [registry],
  });
  const declined = new Counter({
    name: "hotbeat_worker_jobs_declined_total",
    help: "Jobs dropped without running anything (invalid data, or a run finished already), by reason.",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "hotbeat_worker_attempts_in_flight",
    help: "Attempts running on this worker now.",
    registers: [registry],
    collect() {
      this.set(startedAtMs.size);
    },
  });

  const endAttempt = (runId: string, task: string) => {
    const startMs = startedAtMs.get(runId);
    if (startMs === undefined) return;
    startedAtMs.delete(runId);
    attemptDuration.observe({ task }, (performance.now() - startMs) / 1000);
  };
  worker.on("started", ({ runId, task }) => {
    attempts.inc({ task });
    startedAtMs.set(runId, performance.now());
  });
  worker.on("retrying", ({ runId, task }) => {
    retries.inc({ task });
    endAttempt(runId, task);
  });
  worker.on("finished", ({ runId, task, status }) => {
    finished.inc({ task, status });
    endAttempt(runId, task);
  });
  worker.on("declined", ({ reason }) => declined.inc({ reason }));
  return registry;
}
