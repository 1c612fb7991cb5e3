// The Schedulers view: the live schedulers as they report themselves (leader, schedules held,
// the last change each applied and how long it took to apply, when each was last heard from),
// and how many schedules hotbeat cannot fire, linked to the list filtered to them.

import { api } from "./api.js";
import { formatInstant, viewerZone } from "./clock.js";
import { $, announce, h } from "./dom.js";
import { toSearch } from "./listQuery.js";
import { showSchedulesWith } from "./views.js";

let isSetUp = false;

/** "4 s ago", "3 min ago": how long since an instant, from `nowMs`. */
export function describeAge(iso, nowMs) {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

/** Shows the view and loads what it shows. */
export async function openView() {
  if (!isSetUp) {
    isSetUp = true;
    $("#schedulers-refresh").addEventListener("click", () => void load());
  }
  await load();
}

async function load() {
  // The invalid count reads every row, the slower of the two: the schedulers show first.
  const counting = countInvalid();
  try {
    renderSchedulers(await api("GET", "/api/v1/scheduler"));
  } catch (e) {
    announce(e.message, { kind: "error" });
  }
  await counting;
}

function renderSchedulers({ schedulers }) {
  const zone = viewerZone();
  const nowMs = Date.now();
  $("#scheduler-rows").replaceChildren(
    ...(schedulers.length === 0
      ? [h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No scheduler is running: nothing fires."))]
      : schedulers.map((s) =>
          h(
            "tr",
            { "data-instance": s.instanceId },
            h(
              "th",
              { scope: "row" },
              `${s.hostname}:${s.pid}`,
              h(
                "div",
                { class: "muted small" },
                `${s.instanceId.slice(0, 8)}, since ${formatInstant(s.startedAt, zone)}`,
              ),
            ),
            h(
              "td",
              {},
              h("span", { class: s.isLeader ? "badge leader" : "badge" }, s.isLeader ? "leader" : "standby"),
            ),
            h("td", {}, String(s.schedulesLoaded)),
            h(
              "td",
              {},
              s.lastApplied
                ? [
                    `${s.lastApplied.name} version ${s.lastApplied.version}`,
                    h("div", { class: "muted small" }, formatInstant(s.lastApplied.appliedAt, zone)),
                  ]
                : h("span", { class: "muted" }, "none yet"),
            ),
            h("td", {}, s.lastApplied?.latencyMs == null ? "—" : `${Math.round(s.lastApplied.latencyMs)} ms`),
            h("td", {}, describeAge(s.heartbeatAt, nowMs)),
          ),
        )),
  );
}

async function countInvalid() {
  const line = $("#invalid-count");
  line.textContent = "Counting the schedules hotbeat cannot fire…";
  try {
    const { schedules } = await api("GET", "/api/v1/schedules", { query: { health: "invalid" } });
    if (schedules.length === 0) return void (line.textContent = "Every schedule can fire.");
    const state = { q: "", label: "", health: "invalid", enabled: "", sort: "name" };
    line.replaceChildren(
      h(
        "a",
        {
          href: `${location.pathname}${toSearch(state)}`,
          onclick: (event) => {
            event.preventDefault();
            showSchedulesWith({ health: "invalid" });
          },
        },
        schedules.length === 1 ? "1 schedule cannot fire" : `${schedules.length} schedules cannot fire`,
      ),
      ": each is listed with its reason.",
    );
  } catch (e) {
    line.textContent = `The schedules that cannot fire could not be counted: ${e.message}`;
  }
}
