// The page's entry: the first page of schedules, asked for before this module loaded (by the
// preload in index.html and firstPage.js), shown as soon as it is here. Everything else comes
// after: the wiring of controls, views and live feed (pageWiring.js), then, once the page has
// loaded, the editor, details and dialogs (see lazy.js).

import { setTokenPrompt } from "./api.js";
import { $, announce } from "./dom.js";
import { firstPage, firstState } from "./firstPage.js";
import { loadFeatures, setFeatureHooks } from "./lazy.js";
import { refreshList, showFirstPage } from "./scheduleList.js";

function setUpTokenPrompt() {
  const dialog = $("#token-dialog");
  const form = $("#token-form");
  setTokenPrompt(
    (reason) =>
      new Promise((resolve) => {
        $("#token-reason").textContent = reason;
        form.reset();
        const done = () => resolve(form.elements.token.value.trim() || undefined);
        dialog.addEventListener("close", done, { once: true });
        dialog.showModal();
      }),
  );
}

const whenLoaded = () =>
  document.readyState === "complete"
    ? Promise.resolve()
    : new Promise((resolve) => addEventListener("load", resolve, { once: true }));

async function start() {
  setUpTokenPrompt();
  setFeatureHooks({ refresh: refreshList });
  const wiring = import("./pageWiring.js");
  if (firstPage) await showFirstPage(firstState, firstPage);
  (await wiring).wirePage({ isListLoaded: firstPage !== null });
  // After the load event, so the features' markup and styles never delay it.
  await whenLoaded();
  await loadFeatures();
}

void start().catch((e) => announce(e.message, { kind: "error" }));
