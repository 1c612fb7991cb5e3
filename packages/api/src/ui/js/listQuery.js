// What the Schedules list shows, kept in the page's URL so that a link keeps it: the search text,
// the label selector, the health and enabled filters, the order. No imports: the first page's
// request is built from it before anything else of the page has loaded.

/** Rows per page of the list. */
export const PAGE_SIZE = 50;

const SORTS = ["name", "next"];
const HEALTHS = ["invalid"];
const ENABLED = ["true", "false"];
const VIEWS = ["schedules", "calendars", "schedulers"];

/** The list's state from a URL's query string: `{ q, label, health, enabled, sort }`, all strings. */
export function readListQuery(search) {
  const params = new URLSearchParams(search);
  const pick = (key, allowed) => (allowed.includes(params.get(key) ?? "") ? params.get(key) : "");
  return {
    q: (params.get("q") ?? "").trim(),
    label: (params.get("label") ?? "").trim(),
    health: pick("health", HEALTHS),
    enabled: pick("enabled", ENABLED),
    sort: pick("sort", SORTS) || "name",
  };
}

/** The view the page opens on: `?view=calendars`, `?view=schedulers`, else the schedules. */
export function readView(search) {
  const view = new URLSearchParams(search).get("view") ?? "";
  return VIEWS.includes(view) ? view : "schedules";
}

/**
 * The query string of a view and a list state, defaults left out so the plain page stays `/`:
 * `?label=team%3Dfinance&sort=next`.
 */
export function toSearch(state, view = "schedules") {
  const params = new URLSearchParams();
  if (view !== "schedules") params.set("view", view);
  for (const key of ["q", "label", "health", "enabled"]) if (state[key]) params.set(key, state[key]);
  if (state.sort && state.sort !== "name") params.set("sort", state.sort);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * The label selector as the API takes it, kubectl's syntax: one `label` value per requirement,
 * so that `team=finance, !legacy` is `team=finance` AND `!legacy`.
 */
export function splitSelector(selector) {
  return selector
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * The query of `GET /api/v1/schedules` for a state and a page. Built as URLSearchParams, because
 * `label` repeats.
 */
export function toApiQuery(state, { cursor, limit = PAGE_SIZE } = {}) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const requirement of splitSelector(state.label ?? "")) params.append("label", requirement);
  if (state.health) params.set("health", state.health);
  if (state.enabled) params.set("enabled", state.enabled);
  params.set("sort", state.sort || "name");
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return params;
}

/** True when the state filters anything out (the empty list then says "no schedule matches"). */
export const isFiltered = (state) => Boolean(state.q || state.label || state.health || state.enabled);
