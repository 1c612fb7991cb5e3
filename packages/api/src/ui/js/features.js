// Everything of the page past the first screen, loaded once (see lazy.js): the markup of the
// dialogs, their styles, and the modules that drive them. What the list calls is exported here.

import { announce, h } from "./dom.js";
import { setUpBackfillDialog } from "./backfillDialog.js";
import { setUpDeleteDialog } from "./deleteDialog.js";
import { showDetails } from "./details.js";
import { setUpEditor } from "./editor.js";
import { setUpPauseDialog } from "./pauseDialog.js";
import { shownRow } from "./scheduleList.js";
import { setUpTransfer } from "./transfer.js";
import { setRefresh } from "./writes.js";

export { applyRunEvent, hideDetails, showDetails } from "./details.js";
export { openEditor } from "./editor.js";
export { exportSchedules, openImport } from "./transfer.js";
export { setEnabled } from "./writes.js";

/** The page's own static markup (never data) into the document. */
async function loadMarkup(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const template = document.createElement("template");
  template.innerHTML = await response.text();
  document.body.append(template.content);
}

function loadStyles(path) {
  return new Promise((resolve, reject) => {
    const link = h("link", { rel: "stylesheet", href: path });
    link.addEventListener("load", resolve);
    link.addEventListener("error", () => reject(new Error(`${path} did not load`)));
    document.head.append(link);
  });
}

/** Sets up the dialogs; `hooks.refresh` reloads the list and the open details. */
export async function setUpFeatures(hooks) {
  await Promise.all([
    loadMarkup("/parts/editor.html"),
    loadMarkup("/parts/dialogs.html"),
    loadStyles("/dialogs.css"),
    loadStyles("/views.css"),
  ]);
  setRefresh(hooks.refresh);
  setUpDeleteDialog();
  setUpPauseDialog();
  setUpBackfillDialog();
  setUpTransfer(hooks.refresh);
  setUpEditor(async (result) => {
    const warnings = result.warnings ?? [];
    announce(`Saved ${result.schedule.name} (version ${result.schedule.version}).`, {
      kind: warnings.length ? "warn" : "ok",
      details: warnings,
    });
    await hooks.refresh();
    const saved = shownRow(result.schedule.name);
    if (saved) await showDetails(saved);
  });
}

/** Opens the Calendars or the Schedulers view, loading its module on first use. */
export async function openView(view) {
  const module =
    view === "calendars" ? await import("./calendarsView.js") : await import("./schedulersView.js");
  await module.openView();
}
