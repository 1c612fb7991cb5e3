// The editor's calendar picker: a box per calendar of /api/v1/calendars, plus any the schedule
// names that no longer exist (shown so, so saving does not silently drop them).

import { api } from "./api.js";
import { $, h } from "./dom.js";

let fillSeq = 0;

/**
 * The names the schedule keeps while the boxes are not there (the list is loading, or could not
 * be loaded): a save then keeps its calendars rather than dropping them. Undefined once they are.
 */
export function readPickedCalendars() {
  const pending = $("#calendar-boxes").dataset.pending;
  return pending === undefined ? undefined : JSON.parse(pending);
}

/** Fills the picker for a schedule naming `named`; resolves once the boxes are there. */
export async function fillCalendarPicker(named) {
  const boxes = $("#calendar-boxes");
  const seq = ++fillSeq;
  boxes.dataset.pending = JSON.stringify(named);
  boxes.replaceChildren(h("p", { class: "muted small" }, "Loading the calendars…"));
  let calendars = [];
  try {
    ({ calendars } = await api("GET", "/api/v1/calendars"));
  } catch (e) {
    if (seq !== fillSeq) return;
    boxes.replaceChildren(
      h("p", { class: "muted small" }, `Calendars could not be listed (${e.message}); these are kept.`),
    );
    return;
  }
  // The editor was opened on another schedule meanwhile: its own fill shows its boxes.
  if (seq !== fillSeq) return;
  delete boxes.dataset.pending;
  const known = new Set(calendars.map((c) => c.name));
  const box = (name, text, title) =>
    h(
      "label",
      { class: "day", title },
      h("input", { type: "checkbox", name: "calendar", value: name, checked: named.includes(name) }),
      text,
    );
  const all = [
    ...calendars.map((c) => box(c.name, c.name, c.description || undefined)),
    ...named.filter((name) => !known.has(name)).map((name) => box(name, `${name} (does not exist)`)),
  ];
  boxes.replaceChildren(
    ...(all.length
      ? all
      : [h("p", { class: "muted small" }, "No calendars yet: create them in the Calendars view.")]),
  );
}
