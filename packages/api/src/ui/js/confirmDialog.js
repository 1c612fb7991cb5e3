// A yes-or-no question in a dialog of the page (window.confirm cannot be styled or tested).

import { $ } from "./dom.js";

/** Asks; resolves to true when the person confirms with the `action` button. */
export function confirmAction({ title, message, action }) {
  const dialog = $("#confirm-dialog");
  $("#confirm-title").textContent = title;
  $("#confirm-message").textContent = message;
  $("#confirm-ok").textContent = action;
  return new Promise((resolve) => {
    const cancel = $("#confirm-cancel");
    const form = $("#confirm-form");
    const finish = (answer) => {
      cancel.removeEventListener("click", onCancel);
      form.removeEventListener("submit", onSubmit);
      dialog.removeEventListener("close", onClose);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onCancel = () => finish(false);
    const onClose = () => finish(false);
    const onSubmit = (event) => {
      event.preventDefault();
      finish(true);
    };
    cancel.addEventListener("click", onCancel);
    form.addEventListener("submit", onSubmit);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
  });
}
