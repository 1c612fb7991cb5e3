// Backfill from the details: a range in the schedule's zone, a dry run that lists its instants
// and what each would do, then the run itself, for exactly the range the dry run showed.

import { api, ApiError, schedulePath } from "./api.js";
import { $, announce, h } from "./dom.js";
import { fromZonedWallTime, toZonedWallTime } from "./zonedTime.js";
import { describePassedOver } from "./previewList.js";
import { formatInZone } from "./zonedTime.js";
import { refresh, reportError } from "./writes.js";

/** Instants listed in the dialog; the counts always cover all of them. */
const LISTED_INSTANTS = 200;
const OUTCOME_WORDS = {
  created: "would run",
  reopened: "was missed: would run now",
  existing: "already has a run",
};

let target = null;
/** The range the last dry run showed, which "Run the backfill" runs. */
let shownRange = null;
const form = () => $("#backfill-form");

function showError(message, field) {
  const box = $("#backfill-error");
  box.textContent = message;
  box.hidden = !message;
  for (const name of ["fromLocal", "toLocal"]) {
    const isNamed = Boolean(message) && (field === undefined || `${field}Local` === name);
    form().elements[name].toggleAttribute("aria-invalid", isNamed);
  }
}

function readRange() {
  const { fromLocal, toLocal } = form().elements;
  if (!fromLocal.value || !toLocal.value) return { error: "Pick both ends of the range." };
  return {
    from: fromZonedWallTime(fromLocal.value, target.timezone),
    to: fromZonedWallTime(toLocal.value, target.timezone),
  };
}

const post = (range, dryRun) =>
  api("POST", `${schedulePath(target.name)}/backfill`, { body: { ...range, dryRun } });

function renderDryRun(answer) {
  const runs = answer.created + answer.reopened;
  const items = answer.instants.slice(0, LISTED_INSTANTS).map((instant) => {
    const passedOver = instant.outcome === "excluded" ? describePassedOver(instant) : null;
    const words = passedOver ? passedOver.text : (OUTCOME_WORDS[instant.outcome] ?? instant.outcome);
    const status = instant.outcome === "existing" && instant.status ? ` (${instant.status})` : "";
    return h("li", {}, `${formatInZone(instant.at, target.timezone)} ${target.timezone}: ${words}${status}`);
  });
  const more = answer.instants.length - items.length;
  $("#backfill-result").replaceChildren(
    h(
      "p",
      {},
      `${answer.count} instants in the range: ${runs} would run, ${answer.existing} already have a run, ${answer.excluded} are excluded.`,
    ),
    h("ol", { class: "backfill-instants", "aria-label": "Instants of the backfill" }, items),
    ...(more > 0 ? [h("p", { class: "muted small" }, `and ${more} more`)] : []),
  );
  $("#backfill-run").disabled = runs === 0;
}

async function dryRun() {
  shownRange = null;
  $("#backfill-run").disabled = true;
  const range = readRange();
  if (range.error) return showError(range.error);
  showError("");
  try {
    renderDryRun(await post(range, true));
    shownRange = range;
  } catch (e) {
    const detail = e instanceof ApiError ? e.details[0] : undefined;
    showError(detail ? `${detail.field}: ${detail.message}` : e.message, detail?.field);
  }
}

async function run() {
  if (!shownRange) return;
  try {
    const answer = await post(shownRange, false);
    $("#backfill-dialog").close();
    announce(
      `Backfilled ${target.name}: ${answer.created} runs created, ${answer.reopened} missed runs reopened, ${answer.existing} left as they were.`,
    );
  } catch (e) {
    reportError(e);
  }
  await refresh();
}

export function setUpBackfillDialog() {
  $("#backfill-cancel").addEventListener("click", () => $("#backfill-dialog").close());
  form().addEventListener("submit", (event) => {
    event.preventDefault();
    void dryRun();
  });
  form().addEventListener("input", () => {
    shownRange = null;
    $("#backfill-run").disabled = true;
  });
  $("#backfill-run").addEventListener("click", () => void run());
}

/** Opens the dialog on the last day of `schedule`, in its zone. */
export function openBackfill(schedule) {
  target = schedule;
  shownRange = null;
  const { fromLocal, toLocal } = form().elements;
  $("#backfill-title").textContent = `Backfill ${schedule.name}`;
  $("#backfill-from-label").textContent = `From (wall time in ${schedule.timezone})`;
  $("#backfill-to-label").textContent = `To (wall time in ${schedule.timezone})`;
  const nowMs = Math.floor(Date.now() / 60_000) * 60_000;
  fromLocal.value = toZonedWallTime(new Date(nowMs - 86_400_000).toISOString(), schedule.timezone);
  toLocal.value = toZonedWallTime(new Date(nowMs).toISOString(), schedule.timezone);
  $("#backfill-result").replaceChildren();
  $("#backfill-run").disabled = true;
  showError("");
  $("#backfill-dialog").showModal();
}
