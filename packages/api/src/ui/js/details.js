// One schedule up close: run now, pause with a note / resume, its recent runs with status and
// error, and its history (who, when, through what, old → new) with "restore this version".

import { api, ApiError, schedulePath } from "./api.js";
import { $, announce, detailLines, h, healthProblem } from "./dom.js";
import { openEditor } from "./editor.js";
import { formatInstant } from "./clock.js";
import { renderRuns } from "./runsTable.js";

/** History rows hold the stored row (snake_case); these are the fields a restore puts back. */
const RESTORED_FIELDS = {
  task: "task",
  description: "description",
  cron: "cron",
  interval_seconds: "intervalSeconds",
  run_at: "runAt",
  timezone: "timezone",
  payload: "payload",
  enabled: "enabled",
  start_at: "startAt",
  end_at: "endAt",
  misfire_policy: "misfirePolicy",
  misfire_grace_seconds: "misfireGraceSeconds",
  overlap_policy: "overlapPolicy",
  jitter_seconds: "jitterSeconds",
};
const HIDDEN_IN_CHANGES = new Set([
  "version",
  "updated_at",
  "updated_by",
  "created_at",
  "interval_anchor_at",
]);

let current = null;
let shownRuns = [];
let refreshAll = async () => {};

export function setUpDetails(refresh) {
  refreshAll = refresh;
  $("#pause-cancel").addEventListener("click", () => $("#pause-dialog").close());
  $("#pause-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const note = event.target.elements.note.value.trim();
    $("#pause-dialog").close();
    void setEnabled(current, false, note);
  });
  $("#delete-cancel").addEventListener("click", () => $("#delete-dialog").close());
  $("#delete-form").addEventListener("submit", (event) => {
    event.preventDefault();
    $("#delete-dialog").close();
    void deleteSchedule(current);
  });
}

/** A run started or finished: the shown schedule's runs list gains or updates it in place. */
export function applyRunEvent(run) {
  if (run.schedule !== current?.name) return;
  const index = shownRuns.findIndex((r) => r.id === run.id);
  if (index === -1) shownRuns = [run, ...shownRuns].slice(0, 20);
  else shownRuns[index] = run;
  renderRuns(shownRuns, current.timezone);
}

export const shownSchedule = () => current?.name;

/** Shows a schedule's panel and loads its runs and history. */
export async function showDetails(schedule) {
  current = schedule;
  const panel = $("#details");
  panel.hidden = false;
  $("#details-heading").textContent = schedule.name;
  $("#details-summary").textContent =
    `${schedule.summary} · task ${schedule.task} · version ${schedule.version}${schedule.enabled ? "" : " · paused"}`;
  renderHealth(schedule.health);
  $("#details-actions").replaceChildren(
    h("button", { type: "button", onclick: () => openEditor(schedule) }, "Edit"),
    h("button", { type: "button", onclick: () => void runNow(schedule) }, "Run now"),
    schedule.enabled
      ? h("button", { type: "button", onclick: () => openPause(schedule) }, "Pause…")
      : h("button", { type: "button", onclick: () => void setEnabled(schedule, true) }, "Resume"),
    h("button", { type: "button", class: "danger", onclick: () => openDelete(schedule) }, "Delete…"),
  );
  const [runs, history] = await Promise.all([
    api("GET", "/api/v1/runs", { query: { schedule: schedule.name, limit: 20 } }),
    api("GET", `${schedulePath(schedule.name)}/history`, { query: { limit: 50 } }),
  ]);
  if (current?.name !== schedule.name) return;
  shownRuns = runs.runs;
  renderRuns(shownRuns, schedule.timezone);
  renderHistory(history.history, schedule);
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

function renderHistory(entries, schedule) {
  $("#history tbody").replaceChildren(
    ...entries.map((e) =>
      h(
        "tr",
        {},
        h("td", {}, String(e.version)),
        h("td", {}, formatInstant(e.changedAt, schedule.timezone)),
        h("td", {}, e.actor),
        h("td", {}, e.source),
        h("td", {}, describeChange(e), e.note ? h("div", { class: "muted" }, `Note: ${e.note}`) : null),
        h(
          "td",
          {},
          e.newValue && e.version !== schedule.version && e.op !== "delete"
            ? h(
                "button",
                {
                  type: "button",
                  class: "quiet",
                  "aria-label": `Restore version ${e.version}`,
                  onclick: () => void restore(schedule, e),
                },
                "Restore this version",
              )
            : null,
        ),
      ),
    ),
  );
}

function describeChange(entry) {
  if (entry.op === "insert") return "created";
  if (entry.op === "delete") return "deleted";
  const before = entry.oldValue ?? {};
  const after = entry.newValue ?? {};
  const show = (v) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));
  const changed = Object.keys(after).filter(
    (k) => !HIDDEN_IN_CHANGES.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  return changed.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`).join("; ") || "no visible change";
}

async function restore(schedule, entry) {
  const body = {};
  for (const [column, field] of Object.entries(RESTORED_FIELDS)) {
    if (entry.newValue[column] !== undefined) body[field] = entry.newValue[column];
  }
  for (const kind of ["cron", "intervalSeconds", "runAt"]) if (body[kind] === null) delete body[kind];
  await write(`Restored ${schedule.name} to version ${entry.version}`, () =>
    api("PATCH", schedulePath(schedule.name), {
      body,
      ifMatch: schedule.version,
      note: `restored version ${entry.version}`,
    }),
  );
}

async function runNow(schedule) {
  try {
    const { run } = await api("POST", `${schedulePath(schedule.name)}/trigger`);
    announce(`Started ${schedule.name} now: run ${run.id.slice(0, 8)} is ${run.status}.`);
    await refreshAll();
  } catch (e) {
    reportError(e);
  }
}

function openDelete(schedule) {
  current = schedule;
  $("#delete-title").textContent = `Delete ${schedule.name}?`;
  $("#delete-dialog").showModal();
}

async function deleteSchedule(schedule) {
  try {
    await api("DELETE", schedulePath(schedule.name), { ifMatch: schedule.version });
    announce(`Deleted ${schedule.name}. Its history is kept.`);
    current = null;
    $("#details").hidden = true;
  } catch (e) {
    reportError(e);
  }
  await refreshAll();
}

function openPause(schedule) {
  current = schedule;
  $("#pause-title").textContent = `Pause ${schedule.name}`;
  $("#pause-form").elements.note.value = "";
  $("#pause-dialog").showModal();
}

/** Pauses or resumes, with If-Match so a stale page cannot undo a newer change. */
export async function setEnabled(schedule, enabled, note) {
  return write(`${enabled ? "Resumed" : "Paused"} ${schedule.name}`, () =>
    api("PATCH", schedulePath(schedule.name), {
      body: { enabled },
      ifMatch: schedule.version,
      note: note || undefined,
    }),
  );
}

async function write(message, call) {
  try {
    const result = await call();
    const warnings = result.warnings ?? [];
    announce(`${message} (version ${result.schedule.version}).`, {
      kind: warnings.length ? "warn" : "ok",
      details: warnings,
    });
    await refreshAll();
  } catch (e) {
    reportError(e);
    await refreshAll();
  }
}

export function reportError(e) {
  if (e instanceof ApiError && e.status === 412) {
    announce(
      "Someone changed this schedule meanwhile; the page now shows their version. Nothing of yours was saved.",
      { kind: "error" },
    );
  } else {
    announce(e.message, { kind: "error", details: e instanceof ApiError ? detailLines(e) : [] });
  }
}
