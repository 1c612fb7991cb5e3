// A list of fire instants as the preview answers them: each in the schedule's zone and in UTC,
// marked when DST moved it, when its date is excluded, or when someone skipped it by hand.

import { formatInZone } from "./zonedTime.js";
import { h } from "./dom.js";

const DST_MARKS = {
  gap: ["DST: moved", "moved by DST: that wall time does not exist"],
  overlap: ["DST: first of two", "DST: the first of two such times"],
};

/**
 * Why an instant of the preview does not fire, in words, or null when it fires:
 * `excluded (vn-public-holidays)` for a calendar's date, `excluded (its own dates)` for one of the
 * schedule's `exclude`, and the skip's recorded reason (`skipped by alice`).
 */
export function describePassedOver(fire) {
  if (fire.excluded !== undefined) {
    const calendar = /^calendar (.+)$/.exec(fire.excluded);
    return { kind: "excluded", text: `excluded (${calendar ? calendar[1] : "its own dates"})` };
  }
  if (fire.skipped !== undefined) return { kind: "skipped", text: fire.skipped || "skipped" };
  return null;
}

/** One instant; `onUndoSkip(fire)`, when given, offers to undo a skip made by hand. */
export function renderFireTime(fire, zone, { onUndoSkip } = {}) {
  const passedOver = describePassedOver(fire);
  const dst = fire.dstShift ? DST_MARKS[fire.dstShift] : null;
  const when = `${formatInZone(fire.at, zone)} ${zone}`;
  return h(
    "li",
    { class: passedOver ? "passed-over" : undefined },
    h("span", { class: "when" }, when),
    h("span", { class: "utc muted" }, `${fire.at.slice(11, 16)} UTC`),
    dst ? h("span", { class: "badge badge-dst", title: dst[1] }, dst[0]) : null,
    passedOver ? h("span", { class: `badge badge-${passedOver.kind}` }, passedOver.text) : null,
    passedOver?.kind === "skipped" && onUndoSkip
      ? h(
          "button",
          {
            type: "button",
            "aria-label": `Undo skip of ${when}`,
            onclick: () => onUndoSkip(fire),
          },
          "Undo skip",
        )
      : null,
  );
}

/** Fills an `<ol>` with a preview's instants, or says there are none. */
export function renderFireTimes(list, preview, options) {
  list.replaceChildren(...preview.fireTimes.map((fire) => renderFireTime(fire, preview.timezone, options)));
  if (preview.fireTimes.length === 0) list.replaceChildren(h("li", { class: "muted" }, "No runs to come."));
}
