import { z } from "zod";

/** How many consecutive failed runs raise an alert when the schedule does not say. */
export const DEFAULT_ALERT_AFTER_FAILURES = 3;

/**
 * Who is told about a schedule that needs a person: a webhook (called through the same SSRF guard as
 * the `http` task) or a task registered in a worker. Called when a fire is missed, when
 * `afterFailures` runs in a row have failed, and once when a run succeeds again after either.
 */
export type ScheduleAlert = { url: string; afterFailures: number } | { task: string; afterFailures: number };

const TASK_NAME = /^[A-Za-z0-9_.:-]+$/;

/** The `alert` field as the API, the CLI, the page and import accept it; null for none. */
export const scheduleAlertSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, message: "must be an http or https URL" })
      .max(2000, "must be at most 2000 characters")
      .optional(),
    task: z
      .string()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .regex(TASK_NAME, "may contain only letters, digits, _ . : -")
      .optional(),
    afterFailures: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(1000, "must be at most 1000")
      .optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.url === undefined) === (value.task === undefined)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "exactly one of url or task is required" });
    }
  })
  .transform((value): ScheduleAlert =>
    value.url !== undefined
      ? { url: value.url, afterFailures: value.afterFailures ?? DEFAULT_ALERT_AFTER_FAILURES }
      : { task: value.task ?? "", afterFailures: value.afterFailures ?? DEFAULT_ALERT_AFTER_FAILURES },
  )
  .nullable();
