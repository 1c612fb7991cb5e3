// One schedule up close: run now, pause (for a while, or until resumed) / resume, skip the next
// run, backfill, delete; its next runs with the excluded and skipped ones marked, its recent
// runs with status and error, and its history.

import { api, schedulePath } from "./api.js";
import { formatInstant } from "./clock.js";
import { $, announce, h, healthProblem } from "./dom.js";
import { openBackfill } from "./backfillDialog.js";
import { openDelete } from "./deleteDialog.js";
import { openEditor } from "./editor.js";
import { renderHistory } from "./history.js";
import { openPause } from "./pauseDialog.js";
import { renderFireTimes } from "./previewList.js";
import { renderRuns } from "./runsTable.js";
import { selectSchedule } from "./scheduleList.js";
import { skipNext, undoSkip } from "./skips.js";
import { refresh, reportError, setEnabled } from "./writes.js";

const PREVIEW_COUNT = 5;
let current = null;
let shownRuns = [];

/** A run started or finished: the shown schedule's runs list gains or updates it in place. */
export function applyRunEvent(run) {
  if (run.schedule !== current?.name) return;
  const index = shownRuns.findIndex((r) => r.id === run.id);
  if (index === -1) shownRuns = [run, ...shownRuns].slice(0, 20);
  else shownRuns[index] = run;
  renderRuns(shownRuns, current.timezone);
}

/** Closes the panel (its schedule was deleted). */
export function hideDetails() {
  current = null;
  selectSchedule(undefined);
  $("#details").hidden = true;
}

/** Shows a schedule's panel and loads its next runs, runs and history. */
export async function showDetails(schedule) {
  current = schedule;
  selectSchedule(schedule.name);
  $("#details").hidden = false;
  $("#details-heading").textContent = schedule.name;
  $("#details-summary").textContent =
    `${schedule.summary} · task ${schedule.task} · version ${schedule.version}${schedule.enabled ? "" : " · paused"}`;
  renderPaused(schedule);
  renderHealth(schedule.health);
  renderActions(schedule);
  const [runs, history] = await Promise.all([
    api("GET", "/api/v1/runs", { query: { schedule: schedule.name, limit: 20 } }),
    api("GET", `${schedulePath(schedule.name)}/history`, { query: { limit: 50 } }),
    loadPreview(schedule),
  ]);
  if (current?.name !== schedule.name) return;
  shownRuns = runs.runs;
  renderRuns(shownRuns, schedule.timezone);
  renderHistory(history.history, schedule);
}

function renderActions(schedule) {
  const button = (text, onclick, attrs = {}) => h("button", { type: "button", onclick, ...attrs }, text);
  $("#details-actions").replaceChildren(
    button("Edit", () => openEditor(schedule)),
    button("Run now", () => void runNow(schedule)),
    schedule.enabled
      ? button("Pause…", () => openPause(schedule))
      : button("Resume", () => void setEnabled(schedule, true)),
    button("Skip next run", () => void skipNext(schedule, () => reloadPreview(schedule)), {
      disabled: !schedule.enabled,
      title: schedule.enabled ? undefined : "A paused schedule has no next run to skip",
    }),
    button("Backfill…", () => openBackfill(schedule)),
    button("Delete…", () => openDelete(schedule, hideDetails), { class: "danger" }),
  );
}

/** "Paused until Tue 2026-05-05 00:00 Asia/Ho_Chi_Minh; the runs meanwhile are skipped." */
function renderPaused(schedule) {
  const line = $("#details-paused");
  line.hidden = schedule.enabled;
  if (schedule.enabled) return;
  const meanwhile =
    schedule.pauseMode === "catch_up"
      ? "it catches up on the runs meanwhile when it resumes"
      : "the runs meanwhile are skipped";
  line.replaceChildren(
    ...(schedule.pausedUntil
      ? [
          "Paused until ",
          h(
            "time",
            { datetime: schedule.pausedUntil },
            formatInstant(schedule.pausedUntil, schedule.timezone),
          ),
          `, when it resumes by itself; ${meanwhile}.`,
        ]
      : [`Paused until someone resumes it; ${meanwhile}.`]),
  );
}

/** Every problem of a schedule hotbeat cannot fire, the first one as the badge's reason. */
function renderHealth(health) {
  const box = $("#details-health");
  const problem = healthProblem(health);
  box.hidden = problem === null;
  if (problem === null) return box.replaceChildren();
  const others = health.problems.slice(1).map((p) => h("li", {}, `${p.field}: ${p.message}`));
  box.replaceChildren(problem, ...(others.length ? [h("ul", {}, others)] : []));
}

async function loadPreview(schedule) {
  const list = $("#details-preview");
  if (schedule.health?.status === "invalid")
    return list.replaceChildren(h("li", { class: "muted" }, "None until it is fixed."));
  if (!schedule.enabled && !schedule.pausedUntil)
    return list.replaceChildren(h("li", { class: "muted" }, "None while it is paused."));
  try {
    // A pause that ends by itself: the runs from then on.
    const preview = await api("GET", `${schedulePath(schedule.name)}/preview`, {
      query: { count: PREVIEW_COUNT, from: schedule.enabled ? undefined : schedule.pausedUntil },
    });
    if (current?.name !== schedule.name) return;
    renderFireTimes(list, preview, {
      onUndoSkip: (fire) => void undoSkip(schedule, fire.at, () => reloadPreview(schedule)),
    });
  } catch (e) {
    list.replaceChildren(h("li", { class: "invalid" }, e.message));
  }
}

async function reloadPreview(schedule) {
  if (current?.name === schedule.name) await loadPreview(schedule);
}

async function runNow(schedule) {
  try {
    const { run } = await api("POST", `${schedulePath(schedule.name)}/trigger`);
    announce(`Started ${schedule.name} now: run ${run.id.slice(0, 8)} is ${run.status}.`);
    await refresh();
  } catch (e) {
    reportError(e);
  }
}
