// One row of the Schedules table: name and health, labels as chips, the schedule in words, its
// next run (or "paused until …" with the zone), its last run, the enabled switch and Edit.

import { formatInstant } from "./clock.js";
import { h, healthProblem, statusBadge } from "./dom.js";

/** Labels as small chips; each one, clicked, narrows the list to that label. */
export function renderLabelChips(schedule, onPick) {
  const entries = Object.entries(schedule.labels ?? {});
  if (entries.length === 0) return null;
  return h(
    "ul",
    { class: "chips", "aria-label": `Labels of ${schedule.name}` },
    entries.map(([key, value]) => {
      const text = value === "" ? key : `${key}=${value}`;
      return h(
        "li",
        {},
        onPick
          ? h(
              "button",
              {
                type: "button",
                class: "chip",
                title: `Show only ${text}`,
                onclick: () => onPick(`${key}=${value}`),
              },
              text,
            )
          : h("span", { class: "chip" }, text),
      );
    }),
  );
}

/** "paused", or "paused until Tue 2026-05-05 00:00 Asia/Ho_Chi_Minh" when it resumes by itself. */
export function renderPausedNote(schedule) {
  if (!schedule.pausedUntil) return h("span", { class: "muted" }, "paused");
  return h(
    "span",
    { class: "muted paused-until" },
    "paused until ",
    h("time", { datetime: schedule.pausedUntil }, formatInstant(schedule.pausedUntil, schedule.timezone)),
  );
}

/**
 * The row of a listed schedule. `actions` opens (`open`), edits (`edit`), switches (`toggle`)
 * and filters by a label (`pickLabel`).
 */
export function renderScheduleRow(s, { lastRun, isSelected, actions }) {
  return h(
    "tr",
    { class: isSelected ? "selected" : undefined, "data-name": s.name },
    h(
      "th",
      { scope: "row" },
      h("button", { type: "button", class: "link", onclick: () => actions.open(s) }, s.name),
      healthProblem(s.health),
      renderLabelChips(s, actions.pickLabel),
    ),
    h("td", {}, s.summary, s.description ? h("div", { class: "muted small" }, s.description) : null),
    h(
      "td",
      {},
      s.enabled
        ? s.nextFireAt
          ? h("time", { datetime: s.nextFireAt }, formatInstant(s.nextFireAt, s.timezone))
          : "—"
        : renderPausedNote(s),
    ),
    h(
      "td",
      {},
      lastRun
        ? [
            h("time", { datetime: lastRun.scheduledAt }, formatInstant(lastRun.scheduledAt, s.timezone)),
            " ",
            statusBadge(lastRun.status),
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
        onchange: (event) => actions.toggle(s, event.target),
      }),
    ),
    h(
      "td",
      { class: "actions" },
      h("button", { type: "button", "aria-label": `Edit ${s.name}`, onclick: () => actions.edit(s) }, "Edit"),
    ),
  );
}
