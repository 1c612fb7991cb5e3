// A schedule's recent runs, each with its detail a click (or Enter) away.

import { formatInstant } from "./clock.js";
import { $, h, statusBadge } from "./dom.js";

const durationOf = (run) =>
  run.startedAt && run.finishedAt
    ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
    : "—";

function renderRunDetail(run, zone) {
  const line = (label, value) => [h("dt", {}, label), h("dd", {}, value)];
  return h(
    "tr",
    { class: "run-detail" },
    h(
      "td",
      { colspan: 6 },
      h(
        "dl",
        { "aria-label": `Run ${run.id.slice(0, 8)}` },
        line("Run", run.id),
        line("Attempts", String(run.attempt)),
        line("Started", run.startedAt ? formatInstant(run.startedAt, zone) : "—"),
        line("Duration", durationOf(run)),
        line("Error", run.error ?? "—"),
        line("Result", run.result === null || run.result === undefined ? "—" : JSON.stringify(run.result)),
      ),
    ),
  );
}

/** Fills the runs table; each run opens its detail (attempts, duration, error, result). */
export function renderRuns(runs, zone) {
  const rows = runs.flatMap((r) => {
    const detail = renderRunDetail(r, zone);
    detail.hidden = true;
    const toggle = h(
      "button",
      {
        type: "button",
        class: "link",
        "aria-expanded": "false",
        onclick: () => {
          detail.hidden = !detail.hidden;
          toggle.setAttribute("aria-expanded", String(!detail.hidden));
        },
      },
      formatInstant(r.scheduledAt, zone),
    );
    return [
      h(
        "tr",
        { "data-run": r.id },
        h("td", {}, toggle),
        h("td", {}, r.kind === "manual" ? "run now" : "scheduled"),
        h("td", {}, statusBadge(r.status)),
        h("td", {}, String(r.attempt)),
        h("td", {}, r.finishedAt ? formatInstant(r.finishedAt, zone) : "—"),
        h("td", { class: "error-cell" }, r.error ?? ""),
      ),
      detail,
    ];
  });
  $("#runs tbody").replaceChildren(
    ...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No runs yet."))]),
  );
}
