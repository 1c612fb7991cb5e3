// A schedule's history in its details: who changed what, when and through which path, old → new,
// with "restore this version" on each earlier one.

import { api, schedulePath } from "./api.js";
import { formatInstant } from "./clock.js";
import { $, h } from "./dom.js";
import { write } from "./writes.js";

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
  labels: "labels",
  exclude: "exclude",
  calendars: "calendars",
  alert: "alert",
};
const HIDDEN_IN_CHANGES = new Set([
  "version",
  "updated_at",
  "updated_by",
  "created_at",
  "interval_anchor_at",
  "calendar_revision",
]);

const show = (v) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** "field: old → new; …" of a history entry; `hidden` lists columns not worth showing. */
export function describeChange(entry, hidden = HIDDEN_IN_CHANGES) {
  if (entry.op === "insert") return "created";
  if (entry.op === "delete") return "deleted";
  const before = entry.oldValue ?? {};
  const after = entry.newValue ?? {};
  const changed = Object.keys(after).filter(
    (k) => !hidden.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  return changed.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`).join("; ") || "no visible change";
}

/** Fills the History table of a schedule. */
export function renderHistory(entries, schedule) {
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
                "Restore",
              )
            : null,
        ),
      ),
    ),
  );
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
