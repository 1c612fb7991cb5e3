// The page's wiring past the first rows: the list's controls, the views, the top bar's buttons
// and the live feed. Loaded by main.js right after the first page is shown (its modules are
// preloaded at low priority, so they never hold up the first screen's requests).

import { readActor, saveActor } from "./api.js";
import { $, announce } from "./dom.js";
import { loadFeatures, loadedFeatures } from "./lazy.js";
import { setUpListControls } from "./listControls.js";
import { readView } from "./listQuery.js";
import { followEvents } from "./live.js";
import {
  applyRunToList,
  applyScheduleEvent,
  refreshList,
  renderList,
  selectedSchedule,
  shownRow,
} from "./scheduleList.js";
import { setUpViews, showView } from "./views.js";

/** A button of the top bar that needs a feature: it loads, then acts. */
function onFeature(selector, use) {
  $(selector).addEventListener("click", () => {
    void loadFeatures()
      .then(use)
      .catch((e) => announce(e.message, { kind: "error" }));
  });
}

function setUpToolbar() {
  const actor = $("#actor");
  actor.value = readActor();
  actor.addEventListener("change", () => {
    actor.value = saveActor(actor.value);
  });
  onFeature("#new-schedule", (features) => features.openEditor(null));
  onFeature("#export", (features) => features.exportSchedules());
  onFeature("#import", (features) => features.openImport());
  $("#refresh").addEventListener("click", () => void refreshList());
}

function setUpLive() {
  let wasLost = false;
  followEvents({
    schedule: applyScheduleEvent,
    run: applyRunToList,
    reset: () => void refreshList(),
    open: () => {
      $("#live-state").textContent = "Live";
      if (wasLost) void refreshList();
      wasLost = false;
    },
    lost: () => {
      $("#live-state").textContent = "Reconnecting…";
      wasLost = true;
    },
  });
}

/** Wires the page; `isListLoaded` says whether the first page of schedules was shown. */
export function wirePage({ isListLoaded }) {
  let hasList = isListLoaded;
  setUpListControls(() => {
    renderList();
    const shown = shownRow(selectedSchedule());
    if (shown) void loadedFeatures()?.showDetails(shown);
  });
  setUpViews(() => {
    if (!hasList) void refreshList();
    hasList = true;
  });
  setUpToolbar();
  setUpLive();
  const view = readView(location.search);
  if (view !== "schedules") showView(view);
}
