// The pause dialog: for 1 hour, until tomorrow (00:00 in the schedule's zone), until a date (a
// wall time in that zone), or until someone resumes it; and whether the runs meanwhile are
// skipped or caught up on when it resumes.

import { $ } from "./dom.js";
import { toZonedWallTime } from "./zonedTime.js";
import { computePausedUntil } from "./pauseModel.js";
import { setEnabled } from "./writes.js";

let pausing = null;
const form = () => $("#pause-form");

function showDateField() {
  const isDate = form().elements.until.value === "date";
  $("#pause-date-field").hidden = !isDate;
}

function showError(message) {
  const box = $("#pause-error");
  box.textContent = message;
  box.hidden = !message;
  form().elements.localUntil.toggleAttribute("aria-invalid", Boolean(message));
}

export function setUpPauseDialog() {
  $("#pause-cancel").addEventListener("click", () => $("#pause-dialog").close());
  form().addEventListener("change", () => {
    showDateField();
    showError("");
  });
  form().addEventListener("submit", (event) => {
    event.preventDefault();
    const { elements } = form();
    const choice = computePausedUntil(elements.until.value, {
      nowIso: new Date().toISOString(),
      zone: pausing.timezone,
      localUntil: elements.localUntil.value,
    });
    if (choice.error) return showError(choice.error.message);
    $("#pause-dialog").close();
    void setEnabled(pausing, false, {
      note: elements.note.value.trim(),
      pausedUntil: choice.at,
      pauseMode: elements.pauseMode.value,
    });
  });
}

/** Opens the dialog on `schedule`, its zone named wherever a time is. */
export function openPause(schedule) {
  pausing = schedule;
  const { elements } = form();
  form().reset();
  $("#pause-title").textContent = `Pause ${schedule.name}`;
  $("#pause-tomorrow").textContent = `Until tomorrow (00:00 in ${schedule.timezone})`;
  $("#pause-date-label").textContent = `Until (wall time in ${schedule.timezone})`;
  // A day from now, on the hour: a starting point to change.
  const inADay = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000).toISOString();
  elements.localUntil.value = toZonedWallTime(inADay, schedule.timezone);
  elements.pauseMode.value = schedule.pauseMode ?? "skip";
  showDateField();
  showError("");
  $("#pause-dialog").showModal();
}
