// The editor's form: written from the model's values, read back into them, and the fields that
// only some modes (daily, weekly, …) or alert kinds show.

import { $, h } from "./dom.js";
import { readPickedCalendars } from "./calendarPicker.js";
import { WEEK } from "./editorModel.js";

/** The form's single-value controls, by the model's names. */
const CONTROLS = [
  "name",
  "task",
  "description",
  "mode",
  "time",
  "dayOfMonth",
  "every",
  "unit",
  "runAtLocal",
  "cron",
  "timezone",
  "payload",
  "misfirePolicy",
  "misfireGraceSeconds",
  "overlapPolicy",
  "jitterSeconds",
  "startLocal",
  "endLocal",
  "labels",
  "exclude",
  "alertKind",
  "alertUrl",
  "alertTask",
  "afterFailures",
];

export const editorForm = () => $("#editor-form");

/** Puts the day boxes in the form, Monday first. */
export function fillDayBoxes() {
  $("#day-boxes").replaceChildren(
    ...WEEK.map(([name, n]) =>
      h("label", { class: "day" }, h("input", { type: "checkbox", name: "day", value: String(n) }), name),
    ),
  );
}

export function writeForm(values) {
  const form = editorForm();
  for (const key of CONTROLS) form.elements[key].value = String(values[key] ?? "");
  for (const box of form.querySelectorAll('input[name="day"]'))
    box.checked = values.days.includes(Number(box.value));
  showModeFields();
}

export function readForm() {
  const form = editorForm();
  const values = Object.fromEntries(CONTROLS.map((key) => [key, form.elements[key].value]));
  const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value);
  return {
    ...values,
    name: values.name.trim(),
    timezone: values.timezone.trim(),
    days: checked("day").map(Number),
    calendars: readPickedCalendars() ?? checked("calendar"),
  };
}

/** Shows the fields of the chosen mode and alert kind only. */
export function showModeFields() {
  const form = editorForm();
  const mode = form.elements.mode.value;
  for (const el of form.querySelectorAll("[data-mode]"))
    el.hidden = !el.dataset.mode.split(" ").includes(mode);
  const alertKind = form.elements.alertKind.value;
  for (const el of form.querySelectorAll("[data-alert]"))
    el.hidden = !el.dataset.alert.split(" ").includes(alertKind);
}
