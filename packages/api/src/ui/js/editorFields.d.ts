// Types for the plain-JS editor fields model, so TypeScript tests can import it.
export interface FieldError {
  field: string;
  message: string;
}
export type Alert = { url: string; afterFailures: number } | { task: string; afterFailures: number } | null;
export interface AlertForm {
  alertKind: "" | "url" | "task";
  alertUrl: string;
  alertTask: string;
  afterFailures: number | string;
}
export function formatLabelLines(labels: Record<string, string> | undefined): string;
export function parseLabelLines(
  text: string,
): { labels: Record<string, string>; error?: undefined } | { labels?: undefined; error: FieldError };
export function formatDateLines(dates: string[] | undefined): string;
export function parseDateLines(text: string): string[];
export function alertToForm(alert: Alert | undefined): AlertForm;
export function readAlert(
  form: AlertForm,
): { alert: Alert; error?: undefined } | { alert?: undefined; error: FieldError };
export function controlOfField(field: string): string;
