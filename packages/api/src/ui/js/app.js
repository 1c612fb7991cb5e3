// The Schedules page: one page of the server-side list (search, filters, sort, cursor paging),
// kept live by the event stream, and the wiring of the editor, details, export/import and token.

import { api, readActor, saveActor, setTokenPrompt } from "./api.js";
import { formatInstant, onZoneModeChange, setZoneMode, viewerZone, zoneMode } from "./clock.js";
import { $, announce, h, healthProblem, statusBadge } from "./dom.js";
import {
  applyRunEvent,
  reportError,
  setEnabled,
  setUpDetails,
  showDetails,
  shownSchedule,
} from "./details.js";
import { openEditor, setUpEditor } from "./editor.js";
import { followEvents } from "./live.js";
import { setUpTransfer } from "./transfer.js";

const PAGE_SIZE = 50;
/** Rows of the shown page, by name: what live events update in place. */
let rows = new Map();
const lastRuns = new Map();
/** Cursors of the pages before the shown one, for "Previous"; the shown page's own is last. */
let cursors = [undefined];
let nextCursor = null;
/** The order the shown rows came in, for the table's `data-sort`. */
let shownSort = "name";
let loading;

function readFilters() {
  const q = $("#search").value.trim();
  const enabled = $("#filter-enabled").value;
  return { q: q || undefined, enabled: enabled || undefined, sort: $("#sort").value };
}

async function loadList() {
  const [page, recent] = await Promise.all([
    api("GET", "/api/v1/schedules", {
      query: { ...readFilters(), limit: PAGE_SIZE, cursor: cursors.at(-1) },
    }),
    lastRuns.size === 0 ? api("GET", "/api/v1/runs", { query: { limit: 500 } }) : { runs: [] },
  ]);
  for (const run of recent.runs) if (!lastRuns.has(run.schedule)) lastRuns.set(run.schedule, run);
  rows = new Map(page.schedules.map((s) => [s.name, s]));
  nextCursor = page.nextCursor;
  shownSort = readFilters().sort;
  renderList();
}

function renderList() {
  const list = [...rows.values()];
  $("#empty").hidden = list.length > 0;
  $("#empty").textContent =
    readFilters().q || readFilters().enabled
      ? "No schedule matches."
      : "No schedules yet. Create one with “New schedule”.";
  $("#schedule-rows").replaceChildren(...list.map(renderRow));
  $("#schedule-rows").dataset.sort = shownSort;
  $("#page-prev").disabled = cursors.length <= 1;
  $("#page-next").disabled = nextCursor === null;
  $("#page-info").textContent = `Page ${cursors.length}`;
}

function renderRow(s) {
  const last = lastRuns.get(s.name);
  return h(
    "tr",
    { class: s.name === shownSchedule() ? "selected" : undefined, "data-name": s.name },
    h(
      "th",
      { scope: "row" },
      h(
        "button",
        { type: "button", class: "link", onclick: () => void showDetails(s).catch(reportError) },
        s.name,
      ),
      healthProblem(s.health),
    ),
    h("td", {}, s.summary, s.description ? h("div", { class: "muted small" }, s.description) : null),
    h(
      "td",
      {},
      s.enabled
        ? s.nextFireAt
          ? h("time", { datetime: s.nextFireAt }, formatInstant(s.nextFireAt, s.timezone))
          : "—"
        : h("span", { class: "muted" }, "paused"),
    ),
    h(
      "td",
      {},
      last
        ? [
            h("time", { datetime: last.scheduledAt }, formatInstant(last.scheduledAt, s.timezone)),
            " ",
            statusBadge(last.status),
          ]
        : h("span", { class: "muted" }, "—"),
    ),
    h(
      "td",
      {},
      h("input", {
        type: "checkbox",
        role: "switch",
        class: "switch",
        checked: s.enabled,
        "aria-label": `Enabled: ${s.name}`,
        onchange: (event) => void toggle(s, event.target),
      }),
    ),
    h(
      "td",
      { class: "actions" },
      h("button", { type: "button", "aria-label": `Edit ${s.name}`, onclick: () => openEditor(s) }, "Edit"),
    ),
  );
}

async function toggle(schedule, box) {
  box.disabled = true;
  await setEnabled(schedule, box.checked);
}

/** Reloads the shown page and the open detail panel; concurrent calls share one load. */
async function refresh() {
  loading ??= (async () => {
    try {
      await loadList();
      const shown = rows.get(shownSchedule());
      if (shown) await showDetails(shown);
    } catch (e) {
      reportError(e);
    } finally {
      loading = undefined;
    }
  })();
  return loading;
}

/** A schedule changed elsewhere (another tab, the CLI, SQL): its row changes in place. */
function applyScheduleEvent(data) {
  const shown = rows.get(data.name);
  if (data.deleted) {
    if (shown) rows.delete(data.name);
    if (shownSchedule() === data.name) $("#details").hidden = true;
  } else if (shown && shown.version < data.version) {
    rows.set(data.name, data);
    if (shownSchedule() === data.name) void showDetails(data).catch(reportError);
  } else return;
  renderList();
}

function applyRun(run) {
  const known = lastRuns.get(run.schedule);
  if (!known || known.id === run.id || known.scheduledAt <= run.scheduledAt) lastRuns.set(run.schedule, run);
  applyRunEvent(run);
  if (rows.has(run.schedule)) renderList();
}

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

function setUpListControls() {
  let searchTimer;
  const restart = () => {
    cursors = [undefined];
    void refresh();
  };
  $("#search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(restart, 250);
  });
  $("#filter-enabled").addEventListener("change", restart);
  $("#sort").addEventListener("change", restart);
  $("#page-next").addEventListener("click", () => {
    if (nextCursor === null) return;
    cursors.push(nextCursor);
    void refresh();
  });
  $("#page-prev").addEventListener("click", () => {
    if (cursors.length > 1) cursors.pop();
    void refresh();
  });
  const zones = $("#zone-mode");
  zones.options[1].textContent = `Your zone (${viewerZone()})`;
  zones.value = zoneMode();
  zones.addEventListener("change", () => setZoneMode(zones.value));
  onZoneModeChange(() => {
    renderList();
    const shown = rows.get(shownSchedule());
    if (shown) void showDetails(shown).catch(reportError);
  });
}

function start() {
  setUpTokenPrompt();
  setUpDetails(refresh);
  setUpTransfer(refresh);
  setUpListControls();
  setUpEditor(async (result) => {
    const warnings = result.warnings ?? [];
    announce(`Saved ${result.schedule.name} (version ${result.schedule.version}).`, {
      kind: warnings.length ? "warn" : "ok",
      details: warnings,
    });
    await refresh();
    const saved = rows.get(result.schedule.name);
    if (saved) await showDetails(saved);
  });
  const actor = $("#actor");
  actor.value = readActor();
  actor.addEventListener("change", () => {
    actor.value = saveActor(actor.value);
  });
  $("#new-schedule").addEventListener("click", () => openEditor(null));
  $("#refresh").addEventListener("click", () => void refresh());
  let wasLost = false;
  followEvents({
    schedule: applyScheduleEvent,
    run: applyRun,
    reset: () => void refresh(),
    open: () => {
      $("#live-state").textContent = "Live";
      if (wasLost) void refresh();
      wasLost = false;
    },
    lost: () => {
      $("#live-state").textContent = "Reconnecting…";
      wasLost = true;
    },
  });
  void refresh();
}

start();
