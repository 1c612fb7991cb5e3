import type { AlertBody, AlertJobData, AlertTarget } from "../messages/alertJob.js";
import { truncateText } from "../runs/storable.js";

/** Longest error text an alert carries; the run keeps the whole of it. */
const MAX_ALERT_ERROR_LENGTH = 1000;

/** What happened that calls for an alert. */
export type AlertCause =
  | {
      event: "missed";
      schedule: string;
      at: Date;
      /** The instants of one wake recorded as missed, oldest first, each with why. */
      missed: ReadonlyArray<{ at: Date; reason: string }>;
    }
  | {
      event: "failing";
      schedule: string;
      at: Date;
      /** The latest failed run. */
      run: { id: string; error: string | null };
      consecutiveFailures: number;
      /** The run that made the streak reach the threshold: what names this alert. */
      thresholdRunId: string;
    }
  | { event: "recovered"; schedule: string; at: Date; run: { id: string } };

function linkToRuns(apiUrl: string, schedule: string, status: string): string {
  // Relative to the base's path, so an API served under a prefix keeps it.
  const link = new URL("api/v1/runs", apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  link.searchParams.set("schedule", schedule);
  link.searchParams.set("status", status);
  return link.toString();
}

/**
 * The job of one alert: its body, its target and its idempotency key. The key is derived from
 * what caused the alert and nothing else (the first missed instant of a wake, the run that made
 * the streak, the run that succeeded), so that every process that raises the same alert names it
 * the same and BullMQ keeps one job.
 */
export function buildAlertJob(cause: AlertCause, target: AlertTarget, apiUrl: string): AlertJobData {
  const base = { event: cause.event, schedule: cause.schedule, at: cause.at.toISOString() };
  let body: AlertBody;
  let suffix: string;
  switch (cause.event) {
    case "missed": {
      const first = cause.missed[0];
      const last = cause.missed.at(-1);
      if (!first || !last)
        throw new RangeError(`schedule "${cause.schedule}": a missed alert needs instants`);
      body = {
        ...base,
        missedCount: cause.missed.length,
        firstMissedAt: first.at.toISOString(),
        lastMissedAt: last.at.toISOString(),
        error: truncateText(last.reason, MAX_ALERT_ERROR_LENGTH),
        url: linkToRuns(apiUrl, cause.schedule, "missed"),
      };
      suffix = String(first.at.getTime());
      break;
    }
    case "failing":
      body = {
        ...base,
        runId: cause.run.id,
        consecutiveFailures: cause.consecutiveFailures,
        ...(cause.run.error === null ? {} : { error: truncateText(cause.run.error, MAX_ALERT_ERROR_LENGTH) }),
        url: linkToRuns(apiUrl, cause.schedule, "failed"),
      };
      suffix = cause.thresholdRunId;
      break;
    case "recovered":
      body = { ...base, runId: cause.run.id, url: linkToRuns(apiUrl, cause.schedule, "succeeded") };
      suffix = cause.run.id;
      break;
  }
  return { key: `alert-${cause.event}-${cause.schedule}-${suffix}`, target, body };
}
