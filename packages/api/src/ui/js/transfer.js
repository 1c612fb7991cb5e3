// Export all schedules to a file, and import one back, always showing the dry run's diff first.

import { api } from "./api.js";
import { $, announce, h } from "./dom.js";
import { reportError } from "./writes.js";

let pendingDocument = null;

/** Opens the import dialog on no file yet. */
export function openImport() {
  pendingDocument = null;
  $("#import-form").reset();
  $("#import-result").replaceChildren();
  $("#import-apply").disabled = true;
  $("#import-dialog").showModal();
}

export function setUpTransfer(refresh) {
  $("#import-cancel").addEventListener("click", () => $("#import-dialog").close());
  $("#import-form").elements.file.addEventListener("change", (event) => void dryRun(event.target.files[0]));
  $("#import-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void apply(refresh);
  });
}

/** Downloads every schedule as a file import takes back. */
export async function exportSchedules() {
  try {
    const document_ = await api("GET", "/api/v1/export");
    const blob = new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = h("a", {
      href: url,
      download: `hotbeat-schedules-${document_.exportedAt.slice(0, 10)}.json`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(`Exported ${document_.schedules.length} schedules.`);
  } catch (e) {
    reportError(e);
  }
}

/** Export writes `{ exportedAt, schedules }`; import takes `{ schedules }`. */
function toImportBody(parsed) {
  return Array.isArray(parsed) ? { schedules: parsed } : { schedules: parsed.schedules };
}

async function dryRun(file) {
  const result = $("#import-result");
  $("#import-apply").disabled = true;
  if (!file) return;
  try {
    pendingDocument = toImportBody(JSON.parse(await file.text()));
    const { results } = await api("POST", "/api/v1/import", {
      body: pendingDocument,
      query: { dryRun: "true" },
    });
    const changing = results.filter((r) => r.action !== "unchanged");
    result.replaceChildren(
      h(
        "p",
        {},
        changing.length
          ? `Applying would change ${changing.length} of ${results.length} schedules:`
          : "Nothing would change.",
      ),
      h(
        "ul",
        { class: "changes", "aria-label": "Import preview" },
        results.map((r) =>
          h(
            "li",
            {},
            h("span", { class: `badge badge-${r.action}` }, r.action),
            ` ${r.name}`,
            r.warnings.length ? h("span", { class: "muted" }, ` — ${r.warnings.join("; ")}`) : null,
          ),
        ),
      ),
    );
    $("#import-apply").disabled = changing.length === 0;
  } catch (e) {
    pendingDocument = null;
    result.replaceChildren(
      h("p", { class: "invalid", role: "alert" }, e.message),
      ...(e.details ?? []).map((d) => h("p", { class: "invalid" }, `${d.field}: ${d.message}`)),
    );
  }
}

async function apply(refresh) {
  if (!pendingDocument) return;
  try {
    const { results } = await api("POST", "/api/v1/import", { body: pendingDocument });
    $("#import-dialog").close();
    announce(`Imported: ${results.filter((r) => r.action !== "unchanged").length} schedules changed.`);
    await refresh();
  } catch (e) {
    $("#import-result").append(h("p", { class: "invalid", role: "alert" }, e.message));
  }
}
