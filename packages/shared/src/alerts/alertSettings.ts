import type { Config } from "../config/loadConfig.js";
import type { AlertTarget } from "../messages/alertJob.js";
import { scheduleAlertSchema } from "../schedules/alert.js";

/** The deployment's side of alerting: its default target, and where alerts link to. */
export interface AlertSettings {
  /** HOTBEAT_ALERT_URL: alerted for schedules whose `alert` is null; undefined for none. */
  defaultUrl: string | undefined;
  /** HOTBEAT_ALERT_AFTER_FAILURES: the default target's count of failures in a row. */
  defaultAfterFailures: number;
  /** HOTBEAT_URL: alerts link to the schedule's runs under it. */
  apiUrl: string;
}

/** Who a schedule's alerts go to, and after how many failed runs in a row. */
export interface ResolvedAlert {
  target: AlertTarget;
  afterFailures: number;
}

/** The alert settings of a loaded configuration. */
export function readAlertSettings(config: Config): AlertSettings {
  return {
    defaultUrl: config.alertUrl,
    defaultAfterFailures: config.alertAfterFailures,
    apiUrl: config.apiUrl,
  };
}

/**
 * A schedule's own target when it names one, else the deployment's default, else null: nobody is
 * alerted. A schedule keeps out of the default by naming a target of its own (`{"task": "log"}`
 * writes its alerts to the worker's log). The stored value is checked again, as a raw SQL edit
 * may have written anything: an unreadable one throws, naming the schedule.
 */
export function resolveAlert(
  scheduleName: string,
  stored: unknown,
  settings: AlertSettings,
): ResolvedAlert | null {
  const parsed = scheduleAlertSchema.safeParse(stored ?? null);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ["alert", ...(issue?.path ?? []).map(String)].join(".");
    throw new Error(`schedule "${scheduleName}": ${field}: ${issue?.message ?? "is invalid"}`);
  }
  const alert = parsed.data;
  if (alert) {
    const target = "url" in alert ? { url: alert.url } : { task: alert.task };
    return { target, afterFailures: alert.afterFailures };
  }
  if (settings.defaultUrl === undefined) return null;
  return { target: { url: settings.defaultUrl }, afterFailures: settings.defaultAfterFailures };
}
