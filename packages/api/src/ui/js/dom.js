// A tiny element builder. No innerHTML with data, no style attributes: the CSP stays strict.

/**
 * h("button", { class: "primary", onclick: fn, "aria-label": "Edit x" }, "Edit").
 * `hidden`, `checked`, `disabled`, `value` and `selected` are set as properties.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (["hidden", "checked", "disabled", "value", "selected"].includes(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  el.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** A message as a paragraph, and its details, if any, as a list under it. */
export const messageWithDetails = (message, details = []) => [
  h("p", {}, message),
  ...(details.length
    ? [
        h(
          "ul",
          {},
          details.map((d) => h("li", {}, d)),
        ),
      ]
    : []),
];

/** Shows a message in the page's live region; errors are announced assertively. */
export function announce(message, { kind = "ok", details = [] } = {}) {
  const box = $("#flash");
  box.replaceChildren(...messageWithDetails(message, details));
  box.className = `flash flash-${kind}`;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.hidden = false;
}

/** "field: message" lines of an ApiError's details. */
export const detailLines = (error) =>
  (error.details ?? []).map((d) => (d.field ? `${d.field}: ${d.message}` : d.message));

/**
 * What the server found wrong with a stored schedule (a raw SQL edit can leave one hotbeat cannot
 * fire): a red badge and the reason, or null when it is healthy.
 */
export const healthProblem = (health) =>
  health?.status === "invalid"
    ? h(
        "div",
        { class: "health-problem" },
        h("span", { class: "badge badge-invalid" }, "cannot fire"),
        " ",
        health.reason,
      )
    : null;

/** A status badge for a run. */
export const statusBadge = (status) => h("span", { class: `badge badge-${status}` }, status);
