// The page's three views, Schedules, Calendars and Schedulers, as links that keep the URL
// (`?view=calendars`), so a link or a reload opens the same view.

import { $, announce } from "./dom.js";
import { loadFeatures } from "./lazy.js";
import { readView, toSearch } from "./listQuery.js";
import { listState, setListState } from "./scheduleList.js";

const SECTIONS = {
  schedules: "#schedules-view",
  calendars: "#calendars-view",
  schedulers: "#schedulers-view",
};
const TITLES = { schedules: "Schedules", calendars: "Calendars", schedulers: "Schedulers" };
let onSchedulesShown = () => {};

/** Shows a view; `push` adds it to the browser's history (a click), else only shows it. */
export function showView(view, { push = false } = {}) {
  for (const [name, selector] of Object.entries(SECTIONS)) $(selector).hidden = name !== view;
  for (const link of document.querySelectorAll("a[data-view]")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${TITLES[view]} · hotbeat`;
  if (push) history.pushState(null, "", `${location.pathname}${toSearch(listState(), view)}`);
  if (view === "schedules") onSchedulesShown();
  else
    void loadFeatures()
      .then((features) => features.openView(view))
      .catch((e) => announce(e.message, { kind: "error" }));
}

/** Wires the view links and the browser's back and forward; `schedulesShown` runs on each show. */
export function setUpViews(schedulesShown) {
  onSchedulesShown = schedulesShown;
  for (const link of document.querySelectorAll("a[data-view]")) {
    link.href = `${location.pathname}${toSearch(listState(), link.dataset.view)}`;
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      showView(link.dataset.view, { push: true });
    });
  }
  addEventListener("popstate", () => showView(readView(location.search)));
}

/** Opens the Schedules view on a filter (the Schedulers view links to the invalid ones). */
export function showSchedulesWith(filters) {
  showView("schedules", { push: true });
  setListState({ ...listState(), ...filters });
}
