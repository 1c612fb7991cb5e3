// Types for the plain-JS editor model, so TypeScript tests can import it.
export interface EditorForm {
  name: string;
  task: string;
  description: string;
  mode: "daily" | "weekly" | "monthly" | "interval" | "once" | "cron";
  time: string;
  days: number[];
  dayOfMonth: number | string;
  every: number | string;
  unit: "seconds" | "minutes" | "hours" | "days";
  runAtLocal: string;
  cron: string;
  timezone: string;
  payload: string;
  misfirePolicy?: string;
  misfireGraceSeconds?: number | string;
  overlapPolicy?: string;
  jitterSeconds?: number | string;
  startLocal?: string;
  endLocal?: string;
  labels?: string;
  exclude?: string;
  calendars?: string[];
  alertKind?: "" | "url" | "task";
  alertUrl?: string;
  alertTask?: string;
  afterFailures?: number | string;
}
export interface ScheduleLike {
  name: string;
  task: string;
  description?: string;
  cron: string | null;
  intervalSeconds: number | null;
  runAt: string | null;
  timezone: string;
  payload?: unknown;
  labels?: Record<string, string>;
  exclude?: string[];
  calendars?: string[];
  alert?: unknown;
}
export type Fields = Record<string, unknown>;
export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}
export const WEEK: [string, number][];
export const EDITED_FIELDS: string[];
export function blankForm(timezone: string): EditorForm;
export function scheduleToForm(schedule: ScheduleLike): EditorForm;
export function formToFields(
  form: EditorForm,
): { fields: Fields; error?: undefined } | { fields?: undefined; error: { field: string; message: string } };
export function diffFields(saved: ScheduleLike, fields: Fields): Change[];
export function toPatch(changes: Change[]): Fields;
