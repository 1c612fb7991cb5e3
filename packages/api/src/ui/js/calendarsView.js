// The Calendars view: every named set of dates with how many schedules use it; create, edit the
// dates, delete (refused while a schedule names it: the API's message says which), and history.

import { api, ApiError } from "./api.js";
import { formatInstant, viewerZone } from "./clock.js";
import { confirmAction } from "./confirmDialog.js";
import { $, announce, h } from "./dom.js";
import { formatDateLines, parseDateLines } from "./editorFields.js";
import { clearFieldErrors, showFieldErrors } from "./fieldErrors.js";
import { describeChange } from "./history.js";

const SHOWN_DATES = 4;
const HIDDEN_IN_CHANGES = new Set(["version", "updated_at", "updated_by", "created_at"]);
const calendarPath = (name) => `/api/v1/calendars/${encodeURIComponent(name)}`;
let editing = null;
let isSetUp = false;

const form = () => $("#calendar-form");

function setUp() {
  if (isSetUp) return;
  isSetUp = true;
  $("#new-calendar").addEventListener("click", () => openCalendar(null));
  $("#calendar-cancel").addEventListener("click", () => $("#calendar-dialog").close());
  form().addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
  });
}

/** Shows the view and loads the calendars. */
export async function openView() {
  setUp();
  await loadCalendars();
}

async function loadCalendars() {
  try {
    const { calendars } = await api("GET", "/api/v1/calendars");
    renderCalendars(calendars);
  } catch (e) {
    announce(e.message, { kind: "error" });
  }
}

function describeDates(dates) {
  if (dates.length === 0) return "no dates";
  const shown = dates.slice(0, SHOWN_DATES).join(", ");
  return dates.length > SHOWN_DATES ? `${shown} and ${dates.length - SHOWN_DATES} more` : shown;
}

function renderCalendars(calendars) {
  const button = (text, label, onclick, attrs = {}) =>
    h("button", { type: "button", "aria-label": label, onclick, ...attrs }, text);
  $("#calendar-rows").replaceChildren(
    ...(calendars.length === 0
      ? [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No calendars yet."))]
      : calendars.map((c) =>
          h(
            "tr",
            { "data-name": c.name },
            h(
              "th",
              { scope: "row" },
              c.name,
              c.description ? h("div", { class: "muted small" }, c.description) : null,
            ),
            h("td", { class: "dates-cell" }, describeDates(c.dates)),
            h("td", {}, c.usedBy === 1 ? "1 schedule" : `${c.usedBy} schedules`),
            h("td", {}, String(c.version)),
            h(
              "td",
              { class: "actions button-row" },
              button("Edit", `Edit ${c.name}`, () => openCalendar(c)),
              button("History", `History of ${c.name}`, () => void showHistory(c)),
              button("Delete…", `Delete ${c.name}`, () => void deleteCalendar(c), { class: "danger" }),
            ),
          ),
        )),
  );
}

function openCalendar(calendar) {
  editing = calendar;
  const { elements } = form();
  form().reset();
  clearFieldErrors(form());
  $("#calendar-error").hidden = true;
  $("#calendar-title").textContent = calendar ? `Edit ${calendar.name}` : "New calendar";
  $("#calendar-name-field").hidden = Boolean(calendar);
  elements.name.value = calendar?.name ?? "";
  elements.description.value = calendar?.description ?? "";
  elements.dates.value = formatDateLines(calendar?.dates ?? []);
  $("#calendar-dialog").showModal();
}

async function save() {
  const { elements } = form();
  const body = { description: elements.description.value, dates: parseDateLines(elements.dates.value) };
  try {
    const result = editing
      ? await api("PATCH", calendarPath(editing.name), { body, ifMatch: editing.version })
      : await api("POST", "/api/v1/calendars", { body: { name: elements.name.value.trim(), ...body } });
    $("#calendar-dialog").close();
    const count = result.schedules.length;
    announce(
      `Saved ${result.calendar.name} (version ${result.calendar.version})${count ? `: ${count === 1 ? "1 schedule follows" : `${count} schedules follow`} it` : ""}.`,
    );
    await loadCalendars();
  } catch (e) {
    const details = e instanceof ApiError ? e.details : [];
    const unplaced = showFieldErrors(form(), details);
    const box = $("#calendar-error");
    box.replaceChildren(
      h("p", {}, e.status === 412 ? `${editing.name} was changed meanwhile; reopen it to see.` : e.message),
      ...unplaced.map((d) => h("p", {}, `${d.field}: ${d.message}`)),
    );
    box.hidden = false;
  }
}

async function deleteCalendar(calendar) {
  const isConfirmed = await confirmAction({
    title: `Delete ${calendar.name}?`,
    message: "Its history is kept. A calendar that schedules name cannot be deleted.",
    action: "Delete",
  });
  if (!isConfirmed) return;
  try {
    await api("DELETE", calendarPath(calendar.name), { ifMatch: calendar.version });
    announce(`Deleted ${calendar.name}. Its history is kept.`);
    $("#calendar-history-box").hidden = true;
  } catch (e) {
    announce(e.message, { kind: "error" });
  }
  await loadCalendars();
}

async function showHistory(calendar) {
  try {
    const { history } = await api("GET", `${calendarPath(calendar.name)}/history`, { query: { limit: 50 } });
    $("#calendar-history-heading").textContent = `History of ${calendar.name}`;
    $("#calendar-history tbody").replaceChildren(
      ...history.map((e) =>
        h(
          "tr",
          {},
          h("td", {}, String(e.version)),
          h("td", {}, formatInstant(e.changedAt, viewerZone())),
          h("td", {}, e.actor),
          h("td", {}, e.source),
          h(
            "td",
            {},
            describeChange(e, HIDDEN_IN_CHANGES),
            e.note ? h("div", { class: "muted" }, `Note: ${e.note}`) : null,
          ),
        ),
      ),
    );
    $("#calendar-history-box").hidden = false;
  } catch (e) {
    announce(e.message, { kind: "error" });
  }
}
