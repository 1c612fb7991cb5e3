// The editor's labels, exclusions, calendars and alert, free of the DOM: read from a schedule
// into the form's text, and back; and which form control an API error's field names.

const DEFAULT_AFTER_FAILURES = 3;

/** Labels as the editor's lines: `team=finance`, one a line. */
export const formatLabelLines = (labels) =>
  Object.entries(labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");

/**
 * The lines of the labels box as a map: `{ labels }`, or `{ error }` naming the line. The rules of
 * keys and values are the API's; only the shape of a line is checked here.
 */
export function parseLabelLines(text) {
  const labels = {};
  const lines = (text ?? "").split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { error: { field: "labels", message: `line ${index + 1}: write key=value` } };
    const key = line.slice(0, eq).trim();
    if (Object.hasOwn(labels, key))
      return { error: { field: "labels", message: `line ${index + 1}: ${key} is already set` } };
    labels[key] = line.slice(eq + 1).trim();
  }
  return { labels };
}

/** Dates and ranges, one a line. */
export const formatDateLines = (dates) => (dates ?? []).join("\n");

/** The dates box as a list: one entry a line (commas separate too), blanks dropped. */
export const parseDateLines = (text) =>
  (text ?? "")
    .split(/[\n,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);

/** The alert as the form's fields. */
export function alertToForm(alert) {
  if (!alert) return { alertKind: "", alertUrl: "", alertTask: "", afterFailures: DEFAULT_AFTER_FAILURES };
  return {
    alertKind: alert.url !== undefined ? "url" : "task",
    alertUrl: alert.url ?? "",
    alertTask: alert.task ?? "",
    afterFailures: alert.afterFailures ?? DEFAULT_AFTER_FAILURES,
  };
}

/** The form's alert fields as the API's `alert`: null, `{ url, afterFailures }` or `{ task, afterFailures }`. */
export function readAlert(form) {
  if (!form.alertKind) return { alert: null };
  const afterFailures = Number(form.afterFailures);
  if (String(form.afterFailures).trim() === "" || !Number.isInteger(afterFailures) || afterFailures < 1)
    return { error: { field: "alert.afterFailures", message: "must be a whole number, 1 or more" } };
  if (form.alertKind === "url") {
    const url = form.alertUrl.trim();
    if (!url) return { error: { field: "alert.url", message: "type the webhook's URL" } };
    return { alert: { url, afterFailures } };
  }
  const task = form.alertTask.trim();
  if (!task) return { error: { field: "alert.task", message: "type the task's name" } };
  return { alert: { task, afterFailures } };
}

/** The editor's fields for labels, exclusions, calendars and alert of a saved schedule. */
export const extrasToForm = (s) => ({
  labels: formatLabelLines(s.labels),
  exclude: formatDateLines(s.exclude),
  calendars: [...(s.calendars ?? [])],
  ...alertToForm(s.alert),
});

/** The API fields the extras stand for: `{ fields }` or `{ error }`; an older form without them, `{}`. */
export function readExtras(form) {
  if (form.labels === undefined) return { fields: {} };
  const labels = parseLabelLines(form.labels);
  if (labels.error) return labels;
  const alert = readAlert(form);
  if (alert.error) return alert;
  return {
    fields: {
      labels: labels.labels,
      exclude: parseDateLines(form.exclude),
      calendars: [...(form.calendars ?? [])],
      alert: alert.alert,
    },
  };
}

/** API fields whose error belongs to a form control of another name. */
const CONTROL_OF_FIELD = {
  intervalSeconds: "every",
  runAt: "runAtLocal",
  startAt: "startLocal",
  endAt: "endLocal",
  "alert.url": "alertUrl",
  "alert.task": "alertTask",
  "alert.afterFailures": "afterFailures",
  alert: "alertKind",
};

/**
 * The form control an error's field names: `labels.team` → `labels`, `exclude.2` → `exclude`,
 * `calendars.0` → `calendars`, `alert.url` → `alertUrl`, `intervalSeconds` → `every`.
 */
export function controlOfField(field) {
  const path = String(field ?? "")
    .replace(/^body\./, "")
    .split(".");
  const [head, second] = path;
  if (head === "alert") return CONTROL_OF_FIELD[`alert.${second}`] ?? CONTROL_OF_FIELD.alert;
  return CONTROL_OF_FIELD[head] ?? head;
}
