// The schedule editor: a form a person fills without cron, the next 5 runs and the schedule in
// words as they type (from POST /api/v1/preview), what changes against the saved version, and a
// save that sends If-Match so that a change made meanwhile is shown (412), never silently
// overwritten or lost.

import { api, ApiError, schedulePath } from "./api.js";
import { $, detailLines, h, messageWithDetails } from "./dom.js";
import { blankForm, diffFields, formToFields, scheduleToForm, toPatch, WEEK } from "./editorModel.js";
import { viewerZone } from "./clock.js";
import { loadZones } from "./zonePicker.js";
import { formatInZone } from "./zonedTime.js";

const dialog = $("#editor");
const form = $("#editor-form");
let saved = null;
let onSaved = () => {};
let previewSeq = 0;
let previewTimer;

/** Fills the zone picker and the day boxes once; `onSave(result)` runs after every save. */
export function setUpEditor(onSave) {
  onSaved = onSave;
  $("#day-boxes").replaceChildren(
    ...WEEK.map(([name, n]) =>
      h("label", { class: "day" }, h("input", { type: "checkbox", name: "day", value: String(n) }), name),
    ),
  );
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", schedulePreview);
  form.elements.mode.addEventListener("change", showModeFields);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
  });
  $("#editor-cancel").addEventListener("click", () => dialog.close());
}

/** Opens the editor on a saved schedule, or on a blank one when `schedule` is null. */
export function openEditor(schedule) {
  saved = schedule;
  void loadZones().catch((e) => showError(`Time zones: ${e.message}`));
  const values = schedule ? scheduleToForm(schedule) : blankForm(viewerZone());
  $("#editor-title").textContent = schedule ? `Edit ${schedule.name}` : "New schedule";
  $("#name-field").hidden = Boolean(schedule);
  writeForm(values);
  hideError();
  dialog.showModal();
  showModeFields();
  void refreshPreview();
}

/** The form's fields by name, besides the day boxes: what writeForm fills and readForm reads. */
const FORM_FIELDS = [
  "name",
  "task",
  "description",
  "mode",
  "time",
  "dayOfMonth",
  "every",
  "unit",
  "runAtLocal",
  "cron",
  "timezone",
  "payload",
  "misfirePolicy",
  "misfireGraceSeconds",
  "overlapPolicy",
  "jitterSeconds",
  "startLocal",
  "endLocal",
];

function writeForm(values) {
  for (const key of FORM_FIELDS) form.elements[key].value = String(values[key] ?? "");
  for (const box of form.querySelectorAll('input[name="day"]'))
    box.checked = values.days.includes(Number(box.value));
}

function readForm() {
  const values = Object.fromEntries(FORM_FIELDS.map((key) => [key, form.elements[key].value]));
  return {
    ...values,
    name: values.name.trim(),
    timezone: values.timezone.trim(),
    days: [...form.querySelectorAll('input[name="day"]:checked')].map((b) => Number(b.value)),
  };
}

function showModeFields() {
  const mode = form.elements.mode.value;
  for (const el of form.querySelectorAll("[data-mode]"))
    el.hidden = !el.dataset.mode.split(" ").includes(mode);
}

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => void refreshPreview(), 200);
}

async function refreshPreview() {
  const seq = ++previewSeq;
  const form = readForm();
  const { fields, error } = formToFields(form);
  const list = $("#preview");
  renderChanges(fields);
  if (error) {
    list.replaceChildren(h("li", { class: "muted" }, `${error.field}: ${error.message}`));
    $("#editor-words").textContent = "";
    return;
  }
  try {
    // The name too: a cron `H` fires at the minute its schedule's name hashes to.
    const body = { timezone: fields.timezone, count: 5 };
    const name = saved?.name ?? form.name;
    if (name) body.name = name;
    for (const kind of ["cron", "intervalSeconds", "runAt"])
      if (fields[kind] !== undefined) body[kind] = fields[kind];
    const preview = await api("POST", "/api/v1/preview", { body });
    if (seq !== previewSeq) return;
    $("#editor-words").textContent = preview.summary;
    renderChanges(fields, preview.summary);
    list.replaceChildren(...preview.fireTimes.map((f) => renderFireTime(f, preview.timezone)));
    if (preview.fireTimes.length === 0) list.replaceChildren(h("li", { class: "muted" }, "No runs to come."));
    $("#preview-warnings").replaceChildren(...preview.warnings.map((w) => h("li", {}, w)));
  } catch (e) {
    if (seq !== previewSeq) return;
    $("#editor-words").textContent = "";
    list.replaceChildren(
      h(
        "li",
        { class: "invalid" },
        e instanceof ApiError ? detailLines(e).join("; ") || e.message : String(e),
      ),
    );
    $("#preview-warnings").replaceChildren();
  }
}

function renderFireTime(fire, zone) {
  const marks = {
    gap: "moved by DST: that wall time does not exist",
    overlap: "DST: the first of two such times",
  };
  return h(
    "li",
    {},
    h("span", { class: "when" }, `${formatInZone(fire.at, zone)} ${zone}`),
    h("span", { class: "utc muted" }, `${fire.at.slice(11, 16)} UTC`),
    fire.dstShift
      ? h(
          "span",
          { class: "badge badge-dst", title: marks[fire.dstShift] },
          fire.dstShift === "gap" ? "DST: moved" : "DST: first of two",
        )
      : null,
  );
}

/** What the edit changes; `draftSummary`, the server's words for the edit, once the preview has them. */
function renderChanges(fields, draftSummary) {
  const list = $("#changes");
  if (!saved) return list.replaceChildren(h("li", { class: "muted" }, "A new schedule."));
  if (!fields) return list.replaceChildren();
  const changes = diffFields(saved, fields);
  if (changes.length === 0) return list.replaceChildren(h("li", { class: "muted" }, "No changes yet."));
  const show = (v) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));
  const rows = changes.map((c) => h("li", {}, h("strong", {}, c.field), `: ${show(c.from)} → ${show(c.to)}`));
  if (draftSummary !== undefined && draftSummary !== saved.summary)
    rows.unshift(h("li", {}, `${saved.summary} → ${draftSummary}`));
  list.replaceChildren(...rows);
}

async function save(overwriteVersion) {
  const values = readForm();
  const { fields, error } = formToFields(values);
  if (error) return showError(`${error.field}: ${error.message}`);
  try {
    let result;
    if (saved) {
      const changes = diffFields(saved, fields);
      if (changes.length === 0) return dialog.close();
      result = await api("PATCH", schedulePath(saved.name), {
        body: toPatch(changes),
        ifMatch: overwriteVersion ?? saved.version,
      });
    } else {
      result = await api("POST", "/api/v1/schedules", { body: { name: values.name, ...fields } });
    }
    dialog.close();
    onSaved(result);
  } catch (e) {
    if (e instanceof ApiError && e.status === 412 && saved) return showConflict();
    showError(e.message, e instanceof ApiError ? detailLines(e) : []);
  }
}

/** Someone saved meanwhile: keep the person's edits in the form and let them choose. */
async function showConflict() {
  const theirs = await api("GET", schedulePath(saved.name));
  showError(
    `${saved.name} was changed by ${theirs.updatedBy} while you were editing (now version ${theirs.version}: ${theirs.summary}). Your edits are still here.`,
    [],
    [
      h("button", { type: "button", onclick: () => void save(theirs.version) }, "Save mine over theirs"),
      h("button", { type: "button", onclick: () => openEditor(theirs) }, "Discard mine, load theirs"),
    ],
  );
}

function showError(message, details = [], actions = []) {
  const box = $("#editor-error");
  box.replaceChildren(
    ...messageWithDetails(message, details),
    ...(actions.length ? [h("div", { class: "button-row" }, actions)] : []),
  );
  box.hidden = false;
}

function hideError() {
  $("#editor-error").hidden = true;
}
