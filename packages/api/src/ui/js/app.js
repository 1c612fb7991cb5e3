// The Schedules page: the list (in words, next run, last run, an enabled switch) and the wiring
// of the editor, the detail panel, export/import and the token prompt.

import { api, readActor, saveActor, schedulePath, setTokenPrompt } from "./api.js";
import { $, announce, h, statusBadge } from "./dom.js";
import { reportError, setEnabled, setUpDetails, showDetails, shownSchedule } from "./details.js";
import { openEditor, setUpEditor } from "./editor.js";
import { setUpTransfer } from "./transfer.js";
import { describeSchedule, formatInZone } from "./words.js";

const REFRESH_MS = 15_000;
let schedules = [];
let loading;

async function loadList() {
  const [{ schedules: list }, { runs }] = await Promise.all([
    api("GET", "/api/v1/schedules"),
    api("GET", "/api/v1/runs", { query: { limit: 500 } }),
  ]);
  const lastRuns = new Map();
  for (const run of runs) if (!lastRuns.has(run.schedule)) lastRuns.set(run.schedule, run);
  const next = await Promise.all(
    list.map((s) =>
      s.enabled
        ? api("GET", `${schedulePath(s.name)}/preview`, { query: { count: 1 } }).then(
            (p) => p.fireTimes[0],
            () => undefined,
          )
        : undefined,
    ),
  );
  schedules = list;
  renderList(list.map((s, i) => ({ schedule: s, next: next[i], last: lastRuns.get(s.name) })));
}

function renderList(rows) {
  $("#empty").hidden = rows.length > 0;
  $("#schedule-rows").replaceChildren(
    ...rows.map(({ schedule: s, next, last }) =>
      h(
        "tr",
        { class: s.name === shownSchedule() ? "selected" : undefined },
        h(
          "th",
          { scope: "row" },
          h(
            "button",
            { type: "button", class: "link", onclick: () => void showDetails(s).catch(reportError) },
            s.name,
          ),
        ),
        h(
          "td",
          {},
          describeSchedule(s),
          s.description ? h("div", { class: "muted small" }, s.description) : null,
        ),
        h(
          "td",
          {},
          s.enabled
            ? next
              ? formatInZone(next.at, s.timezone)
              : "—"
            : h("span", { class: "muted" }, "paused"),
        ),
        h(
          "td",
          {},
          last
            ? [formatInZone(last.scheduledAt, s.timezone), " ", statusBadge(last.status)]
            : h("span", { class: "muted" }, "never"),
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
          h(
            "button",
            { type: "button", "aria-label": `Edit ${s.name}`, onclick: () => openEditor(s) },
            "Edit",
          ),
        ),
      ),
    ),
  );
}

async function toggle(schedule, box) {
  box.disabled = true;
  await setEnabled(schedule, box.checked);
}

/** Reloads the list and the open detail panel; concurrent calls share one load. */
async function refresh() {
  loading ??= (async () => {
    try {
      await loadList();
      const name = shownSchedule();
      const shown = schedules.find((s) => s.name === name);
      if (shown) await showDetails(shown);
      else if (name) $("#details").hidden = true;
    } catch (e) {
      reportError(e);
    } finally {
      loading = undefined;
    }
  })();
  return loading;
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

function start() {
  setUpTokenPrompt();
  setUpDetails(refresh);
  setUpTransfer(refresh);
  setUpEditor(async (result) => {
    const warnings = result.warnings ?? [];
    announce(`Saved ${result.schedule.name} (version ${result.schedule.version}).`, {
      kind: warnings.length ? "warn" : "ok",
      details: warnings,
    });
    await refresh();
    const saved = schedules.find((s) => s.name === result.schedule.name);
    if (saved) await showDetails(saved);
  });
  const actor = $("#actor");
  actor.value = readActor();
  actor.addEventListener("change", () => {
    actor.value = saveActor(actor.value);
  });
  $("#new-schedule").addEventListener("click", () => openEditor(null));
  $("#refresh").addEventListener("click", () => void refresh());
  setInterval(() => {
    if (document.visibilityState === "visible" && !document.querySelector("dialog[open]")) void refresh();
  }, REFRESH_MS);
  void refresh();
}

start();
