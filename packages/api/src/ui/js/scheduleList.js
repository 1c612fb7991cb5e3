// The Schedules list: one page of the server-side list (filters from the URL, cursor paging),
// its rows updated in place by live events, and the selected row.

import { api } from "./api.js";
import { $, announce, detailLines } from "./dom.js";
import { loadFeatures, loadedFeatures } from "./lazy.js";
import { isFiltered, splitSelector, toApiQuery, toSearch } from "./listQuery.js";
import { renderScheduleRow } from "./scheduleRow.js";

/** Rows of the shown page, by name: what live events update in place. */
let rows = new Map();
/** The latest run of each schedule seen: from the list's own `lastRun`, then from run events. */
const lastRuns = new Map();
/** Cursors of the pages before the shown one, for "Previous"; the shown page's own is last. */
let cursors = [undefined];
let nextCursor = null;
let state = { q: "", label: "", health: "", enabled: "", sort: "name" };
/** The state the shown rows were asked with, for the table's `data-sort` and the empty text. */
let shownState = state;
let selectedName;
let loading;
/** Schedule events that arrived before the first page: applied once it is shown. */
let earlyEvents = [];
let hasShownPage = false;
const onStateChange = new Set();

const withFeatures = (use) => () =>
  void loadFeatures()
    .then(use)
    .catch((e) => announce(e.message, { kind: "error" }));

const rowActions = {
  open: (s) => withFeatures((f) => f.showDetails(s))(),
  edit: (s) => withFeatures((f) => f.openEditor(s))(),
  toggle: (s, box) => {
    box.disabled = true;
    withFeatures((f) => f.setEnabled(s, box.checked))();
  },
  pickLabel: (requirement) => {
    const parts = state.label ? `${state.label}, ${requirement}` : requirement;
    if (!splitSelector(state.label).includes(requirement)) setListState({ ...state, label: parts });
  },
};

/** The list's filters and order as the controls show them. */
export const listState = () => state;

/** Runs `listener(state)` whenever the filters change (the controls follow a chip's click). */
export const onListStateChange = (listener) => onStateChange.add(listener);

/** The name of the schedule whose details are open. */
export const selectedSchedule = () => selectedName;

/** Marks a row as the one whose details are open (undefined: none). */
export function selectSchedule(name) {
  selectedName = name;
  for (const row of document.querySelectorAll("#schedule-rows tr"))
    row.classList.toggle("selected", row.dataset.name === name);
}

/** A row of the shown page, by name. */
export const shownRow = (name) => rows.get(name);

/** New filters: back to the first page, written in the URL so a link keeps them. */
export function setListState(next) {
  state = { ...next };
  cursors = [undefined];
  history.replaceState(history.state, "", `${location.pathname}${toSearch(state)}`);
  for (const listener of onStateChange) listener(state);
  void refreshList();
}

/** Shows a page answer; `first` is the request firstPage.js sent for `initial` before the rest loaded. */
export async function showFirstPage(initial, first) {
  state = { ...initial };
  try {
    showPage(await first, initial);
    // The frame that shows the first rows: the figure the 10,000-schedule browser test prints.
    requestAnimationFrame(() => performance.mark("hotbeat:first-rows"));
  } catch (e) {
    reportListError(e);
  }
}

/**
 * Keeps `run` as the last run of its schedule unless a later one is known; a run whose instant is
 * still ahead (a skip recorded by hand for a coming fire) is not a last run, as the list says.
 */
function noteLastRun(name, run) {
  if (!run || Date.parse(run.scheduledAt) > Date.now()) return;
  const known = lastRuns.get(name);
  if (!known || known.id === run.id || known.scheduledAt <= run.scheduledAt) lastRuns.set(name, run);
}

function showPage(page, askedWith) {
  rows = new Map(page.schedules.map((s) => [s.name, s]));
  for (const s of page.schedules) noteLastRun(s.name, s.lastRun);
  nextCursor = page.nextCursor;
  shownState = askedWith;
  hasShownPage = true;
  renderList();
  const early = earlyEvents;
  earlyEvents = [];
  for (const event of early) applyScheduleEvent(event);
}

function reportListError(e) {
  const labelProblem = (e.details ?? []).find((d) => /^label\b/.test(d.field ?? ""));
  const error = $("#label-filter-error");
  error.hidden = !labelProblem;
  error.textContent = labelProblem ? labelProblem.message : "";
  $("#label-filter").toggleAttribute("aria-invalid", Boolean(labelProblem));
  if (!labelProblem) announce(e.message, { kind: "error", details: detailLines(e) });
}

export function renderList() {
  const list = [...rows.values()];
  const empty = $("#empty");
  empty.hidden = list.length > 0;
  empty.textContent = isFiltered(shownState)
    ? "No schedule matches."
    : "No schedules yet. Create one with “New schedule”.";
  $("#schedule-rows").replaceChildren(
    ...list.map((s) =>
      renderScheduleRow(s, {
        lastRun: lastRuns.get(s.name),
        isSelected: s.name === selectedName,
        actions: rowActions,
      }),
    ),
  );
  $("#schedule-rows").dataset.sort = shownState.sort;
  $("#page-prev").disabled = cursors.length <= 1;
  $("#page-next").disabled = nextCursor === null;
  $("#page-info").textContent = `Page ${cursors.length}`;
}

/** Reloads the shown page and the open details; concurrent calls share one load. */
export function refreshList() {
  loading ??= (async () => {
    const asked = state;
    try {
      const page = await api("GET", "/api/v1/schedules", {
        query: toApiQuery(asked, { cursor: cursors.at(-1) }),
      });
      $("#label-filter-error").hidden = true;
      $("#label-filter").removeAttribute("aria-invalid");
      showPage(page, asked);
      const shown = rows.get(selectedName);
      if (shown) await loadedFeatures()?.showDetails(shown);
    } catch (e) {
      reportListError(e);
    } finally {
      loading = undefined;
    }
    // Filters changed while this load was out: load what they ask for now.
    if (asked !== state) await refreshList();
  })();
  return loading;
}

/** Next and Previous page. */
export function turnPage(step) {
  if (step > 0 && nextCursor !== null) cursors.push(nextCursor);
  else if (step < 0 && cursors.length > 1) cursors.pop();
  else return;
  void refreshList();
}

/** A schedule changed elsewhere (another tab, the CLI, SQL): its row changes in place. */
export function applyScheduleEvent(data) {
  if (!hasShownPage) return void earlyEvents.push(data);
  const shown = rows.get(data.name);
  if (data.deleted) {
    if (!shown) return;
    rows.delete(data.name);
    if (selectedName === data.name) loadedFeatures()?.hideDetails();
  } else if (shown && shown.version < data.version) {
    rows.set(data.name, data);
    noteLastRun(data.name, data.lastRun);
    if (selectedName === data.name) void loadedFeatures()?.showDetails(data);
  } else return;
  renderList();
}

/** A run started or finished: the "Last run" column follows it. */
export function applyRunToList(run) {
  noteLastRun(run.schedule, run);
  loadedFeatures()?.applyRunEvent(run);
  if (rows.has(run.schedule)) renderList();
}
