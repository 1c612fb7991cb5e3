import { Counter, type MetricsRegistry } from "@hotbeat/shared";
import type { EventEmitter } from "node:events";
import type { AlertWorkerEvents } from "./createAlertWorker.js";

/**
 * Counts an alert worker's deliveries in `registry`: `hotbeat_alerts_total{event,outcome}`, with
 * outcome `sent`, `retried` (an attempt failed, another follows) or `failed` (given up).
 */
export function registerAlertMetrics(
  registry: MetricsRegistry,
  alerts: EventEmitter<AlertWorkerEvents>,
): void {
  const total = new Counter({
    name: "hotbeat_alerts_total",
    help: "Alert deliveries by event (missed, failing, recovered) and outcome (sent, retried, failed).",
    labelNames: ["event", "outcome"] as const,
    registers: [registry],
  });
  alerts.on("sent", ({ event }) => total.inc({ event, outcome: "sent" }));
  alerts.on("retrying", ({ event }) => total.inc({ event, outcome: "retried" }));
  alerts.on("failed", ({ event }) => total.inc({ event, outcome: "failed" }));
}
