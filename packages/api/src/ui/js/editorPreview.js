// The editor's side: the schedule in words and its next 5 runs as the person types (from
// POST /api/v1/preview, excluded and skipped instants marked), and what the edit changes
// against the saved version.

import { api, ApiError } from "./api.js";
import { $, detailLines, h } from "./dom.js";
import { diffFields, formToFields } from "./editorModel.js";
import { renderFireTimes } from "./previewList.js";

const TYPING_PAUSE_MS = 200;
let previewSeq = 0;
let previewTimer;

/** A preview a moment after the last keystroke. */
export function schedulePreview(readState) {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => void refreshPreview(readState()), TYPING_PAUSE_MS);
}

/** The preview of the form now; `state` is `{ saved, values }`. */
export async function refreshPreview({ saved, values }) {
  const seq = ++previewSeq;
  const { fields, error } = formToFields(values);
  const list = $("#preview");
  renderChanges(saved, fields);
  if (error) {
    list.replaceChildren(h("li", { class: "muted" }, `${error.field}: ${error.message}`));
    $("#editor-words").textContent = "";
    return;
  }
  try {
    // The name too: a cron `H` fires at the minute its schedule's name hashes to, and the saved
    // schedule's skips are marked.
    const body = { timezone: fields.timezone, count: 5 };
    const name = saved?.name ?? values.name;
    if (name) body.name = name;
    for (const key of ["cron", "intervalSeconds", "runAt", "exclude", "calendars"])
      if (fields[key] !== undefined) body[key] = fields[key];
    const preview = await api("POST", "/api/v1/preview", { body });
    if (seq !== previewSeq) return;
    $("#editor-words").textContent = preview.summary;
    renderChanges(saved, fields, preview.summary);
    renderFireTimes(list, preview);
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

const show = (v) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** What the edit changes; `draftSummary`, the server's words for the edit, once the preview has them. */
function renderChanges(saved, fields, draftSummary) {
  const list = $("#changes");
  if (!saved) return list.replaceChildren(h("li", { class: "muted" }, "A new schedule."));
  if (!fields) return list.replaceChildren();
  const changes = diffFields(saved, fields);
  if (changes.length === 0) return list.replaceChildren(h("li", { class: "muted" }, "No changes yet."));
  const rows = changes.map((c) => h("li", {}, h("strong", {}, c.field), `: ${show(c.from)} → ${show(c.to)}`));
  if (draftSummary !== undefined && draftSummary !== saved.summary)
    rows.unshift(h("li", {}, `${saved.summary} → ${draftSummary}`));
  list.replaceChildren(...rows);
}
