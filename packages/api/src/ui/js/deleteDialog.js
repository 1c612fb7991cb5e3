// Deleting a schedule, after a confirmation. Its history and past runs are kept.

import { api, schedulePath } from "./api.js";
import { $, announce } from "./dom.js";
import { refresh, reportError } from "./writes.js";

let deleting = null;
let onDeleted = () => {};

export function setUpDeleteDialog() {
  $("#delete-cancel").addEventListener("click", () => $("#delete-dialog").close());
  $("#delete-form").addEventListener("submit", (event) => {
    event.preventDefault();
    $("#delete-dialog").close();
    void deleteSchedule(deleting);
  });
}

/** Asks to confirm the delete of `schedule`; `deleted()` runs once it is gone. */
export function openDelete(schedule, deleted) {
  deleting = schedule;
  onDeleted = deleted;
  $("#delete-title").textContent = `Delete ${schedule.name}?`;
  $("#delete-dialog").showModal();
}

async function deleteSchedule(schedule) {
  try {
    await api("DELETE", schedulePath(schedule.name), { ifMatch: schedule.version });
    announce(`Deleted ${schedule.name}. Its history is kept.`);
    onDeleted();
  } catch (e) {
    reportError(e);
  }
  await refresh();
}
