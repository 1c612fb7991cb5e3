import type { Queue } from "bullmq";
import type { Database } from "../db/client.js";
import type { Logger } from "../logging/createLogger.js";
import type { AlertSettings } from "./alertSettings.js";

/** What the processes that raise alerts (schedulers for missed fires, workers for outcomes) need. */
export interface AlertDeps {
  db: Database;
  /** The alerts queue (`ALERTS_QUEUE`, namespace prefix). The caller owns and closes it. */
  queue: Queue;
  settings: AlertSettings;
  log: Logger;
  /**
   * How long an alert's add to Redis may take before the alert is given up (default 5 s). It runs
   * inside the transaction that records the alert, so a lost Redis rolls the record back too.
   */
  enqueueTimeoutMs?: number;
}

/** How long an alert's add to Redis may take unless told otherwise. */
export const DEFAULT_ALERT_ENQUEUE_TIMEOUT_MS = 5000;
