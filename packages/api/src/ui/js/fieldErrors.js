// The API's refusals shown on the field they name: `labels.team: …` under the labels box,
// `alert.url: …` under the webhook URL, with aria-invalid and aria-describedby so a screen reader
// reads the message with the field. A closed section holding such a field is opened.

import { $, h } from "./dom.js";
import { controlOfField } from "./editorFields.js";

/** Form controls whose errors go on a group rather than one input. */
const GROUPS = { calendars: "#calendar-picker", days: "fieldset.days" };

function findControl(form, name) {
  if (GROUPS[name]) return $(GROUPS[name], form);
  const control = form.elements[name];
  return control instanceof Element ? control : null;
}

/** Removes every field's error. */
export function clearFieldErrors(form) {
  for (const error of form.querySelectorAll(".field-error[data-for]")) error.remove();
  for (const control of form.querySelectorAll("[data-has-error]")) {
    control.removeAttribute("data-has-error");
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
  }
}

/**
 * Puts each `{ field, message }` under its control; returns the details that name no control
 * of this form (shown with the form's general error instead).
 */
export function showFieldErrors(form, details) {
  clearFieldErrors(form);
  const unplaced = [];
  for (const detail of details) {
    const name = controlOfField(detail.field);
    const control = findControl(form, name);
    if (!control || control.closest("[hidden]")) {
      unplaced.push(detail);
      continue;
    }
    const id = `error-${name}`;
    let error = form.querySelector(`#${id}`);
    if (!error) {
      error = h("p", { class: "field-error", id, "data-for": name });
      control.after(error);
    }
    error.textContent = error.textContent
      ? `${error.textContent}; ${detail.field}: ${detail.message}`
      : `${detail.field}: ${detail.message}`;
    control.setAttribute("data-has-error", "");
    // A group (the calendar boxes) is described by the error; only a field is marked invalid.
    if (control.tagName !== "FIELDSET") control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", id);
    const section = control.closest("details");
    if (section) section.open = true;
  }
  return unplaced;
}
