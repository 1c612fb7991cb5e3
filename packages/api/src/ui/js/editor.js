// The schedule editor: a form a person fills without cron, with labels, dates it skips,
// calendars and an alert; the preview as they type; a save that sends If-Match so that a change
// made meanwhile is shown (412), never silently overwritten or lost; and the API's refusals shown
// on the field they name.

import { api, ApiError, schedulePath } from "./api.js";
import { $, h, messageWithDetails } from "./dom.js";
import { fillCalendarPicker } from "./calendarPicker.js";
import { blankForm, diffFields, formToFields, scheduleToForm, toPatch } from "./editorModel.js";
import { editorForm, fillDayBoxes, readForm, showModeFields, writeForm } from "./editorForm.js";
import { refreshPreview, schedulePreview } from "./editorPreview.js";
import { clearFieldErrors, showFieldErrors } from "./fieldErrors.js";
import { viewerZone } from "./clock.js";
import { loadZones } from "./zonePicker.js";

let saved = null;
let onSaved = () => {};
const dialog = () => $("#editor");
const readState = () => ({ saved, values: readForm() });

/** Fills the day boxes once and wires the form; `onSave(result)` runs after every save. */
export function setUpEditor(onSave) {
  onSaved = onSave;
  fillDayBoxes();
  const form = editorForm();
  form.addEventListener("input", () => schedulePreview(readState));
  form.addEventListener("change", () => schedulePreview(readState));
  form.elements.mode.addEventListener("change", showModeFields);
  form.elements.alertKind.addEventListener("change", showModeFields);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
  });
  $("#editor-cancel").addEventListener("click", () => dialog().close());
}

/** Opens the editor on a saved schedule, or on a blank one when `schedule` is null. */
export function openEditor(schedule) {
  saved = schedule;
  void loadZones().catch((e) => showError(`Time zones: ${e.message}`));
  const values = schedule ? scheduleToForm(schedule) : blankForm(viewerZone());
  $("#editor-title").textContent = schedule ? `Edit ${schedule.name}` : "New schedule";
  $("#name-field").hidden = Boolean(schedule);
  writeForm(values);
  const calendarsShown = fillCalendarPicker(values.calendars);
  hideError();
  dialog().showModal();
  void refreshPreview(readState());
  void calendarsShown.then(() => schedulePreview(readState));
}

async function save(overwriteVersion) {
  const values = readForm();
  const { fields, error } = formToFields(values);
  if (error) return showError("Check the field marked below.", [error]);
  try {
    let result;
    if (saved) {
      const changes = diffFields(saved, fields);
      if (changes.length === 0) return dialog().close();
      result = await api("PATCH", schedulePath(saved.name), {
        body: toPatch(changes),
        ifMatch: overwriteVersion ?? saved.version,
      });
    } else {
      result = await api("POST", "/api/v1/schedules", { body: { name: values.name, ...fields } });
    }
    dialog().close();
    onSaved(result);
  } catch (e) {
    if (e instanceof ApiError && e.status === 412 && saved) return showConflict();
    showError(e.message, e instanceof ApiError ? e.details : []);
  }
}

/** Someone saved meanwhile: keep the person's edits in the form and let them choose. */
async function showConflict() {
  const theirs = await api("GET", schedulePath(saved.name));
  showError(
    `${saved.name} was changed by ${theirs.updatedBy} while you were editing (now version ${theirs.version}: ${theirs.summary}). Your edits are still here.`,
    [],
    [
      h("button", { type: "button", onclick: () => void save(theirs.version) }, "Save mine over theirs"),
      h("button", { type: "button", onclick: () => openEditor(theirs) }, "Discard mine, load theirs"),
    ],
  );
}

/** The form's error box, and each detail on its field; details no field shows are listed in the box. */
function showError(message, details = [], actions = []) {
  const unplaced = showFieldErrors(editorForm(), details);
  const box = $("#editor-error");
  box.replaceChildren(
    ...messageWithDetails(
      message,
      unplaced.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)),
    ),
    ...(actions.length ? [h("div", { class: "button-row" }, actions)] : []),
  );
  box.hidden = false;
}

function hideError() {
  clearFieldErrors(editorForm());
  $("#editor-error").hidden = true;
}
