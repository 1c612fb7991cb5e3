// The controls above the Schedules table: search, label selector, health, enabled, order, the
// zone instants are shown in, and the pager. They show the list's state and change it.

import { onZoneModeChange, setZoneMode, viewerZone, zoneMode } from "./clock.js";
import { $ } from "./dom.js";
import { listState, onListStateChange, setListState, turnPage } from "./scheduleList.js";

const TYPING_PAUSE_MS = 250;

function showState(state) {
  $("#search").value = state.q;
  $("#label-filter").value = state.label;
  $("#filter-health").value = state.health;
  $("#filter-enabled").value = state.enabled;
  $("#sort").value = state.sort;
}

const readControls = () => ({
  q: $("#search").value.trim(),
  label: $("#label-filter").value.trim(),
  health: $("#filter-health").value,
  enabled: $("#filter-enabled").value,
  sort: $("#sort").value,
});

/** Wires the controls; `onZoneChange` redraws what shows instants. */
export function setUpListControls(onZoneChange) {
  showState(listState());
  onListStateChange(showState);
  let typingTimer;
  const apply = () => {
    clearTimeout(typingTimer);
    const next = readControls();
    const now = listState();
    if (Object.keys(next).some((key) => next[key] !== now[key])) setListState(next);
  };
  for (const input of [$("#search"), $("#label-filter")]) {
    input.addEventListener("input", () => {
      clearTimeout(typingTimer);
      typingTimer = setTimeout(apply, TYPING_PAUSE_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") apply();
    });
  }
  for (const select of [$("#filter-health"), $("#filter-enabled"), $("#sort")])
    select.addEventListener("change", apply);
  $("#page-next").addEventListener("click", () => turnPage(1));
  $("#page-prev").addEventListener("click", () => turnPage(-1));
  const zones = $("#zone-mode");
  zones.options[1].textContent = `Your zone (${viewerZone()})`;
  zones.value = zoneMode();
  zones.addEventListener("change", () => setZoneMode(zones.value));
  onZoneModeChange(onZoneChange);
}
