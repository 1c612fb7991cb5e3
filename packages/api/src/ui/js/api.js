// The page's one door to the API. Marks every write as coming from the UI and from whom; when
// the API wants a token, asks for it once and keeps it for this tab only (sessionStorage).

const TOKEN_KEY = "hotbeat.token";
const ACTOR_KEY = "hotbeat.actor";

export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    super(error.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error.code ?? String(status);
    this.details = Array.isArray(error.details) ? error.details : [];
  }
}

// The first page's request may meet a 401 before the page has installed its prompt: it waits for it.
let installPrompt;
const installedPrompt = new Promise((resolve) => {
  installPrompt = resolve;
});
let askToken = (reason) => installedPrompt.then((prompt) => prompt(reason));
let pendingAsk;

/** Installs the function that asks the person for a token (a dialog); it resolves to the token or undefined. */
export function setTokenPrompt(prompt) {
  askToken = prompt;
  installPrompt(prompt);
}

/** Who the history records for this page's changes: what the person typed, else "web". */
export function readActor() {
  return localStorage.getItem(ACTOR_KEY) || "web";
}

export function saveActor(name) {
  const clean = name
    .trim()
    .replace(/[^\w.@+:-]/g, "_")
    .slice(0, 100);
  if (clean) localStorage.setItem(ACTOR_KEY, clean);
  else localStorage.removeItem(ACTOR_KEY);
  return clean || "web";
}

/** The Authorization header of this tab's token, if it has one. */
export function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * Calls the API: `api("PATCH", "/api/v1/schedules/x", { body, ifMatch, note })`. Resolves to the
 * parsed body, rejects with an ApiError carrying the API's code and field details. `query` is an
 * object, or URLSearchParams for a key that repeats.
 */
export async function api(method, path, options = {}, retry = "none") {
  const { body, ifMatch, note, query } = options;
  const url = new URL(path, location.origin);
  const entries = query instanceof URLSearchParams ? [...query] : Object.entries(query ?? {});
  for (const [key, value] of [...entries, ["note", note]]) {
    if (value !== undefined && value !== "") url.searchParams.append(key, String(value));
  }
  const headers = { accept: "application/json", "x-hotbeat-source": "ui", "x-hotbeat-actor": readActor() };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (ifMatch !== undefined) headers["if-match"] = `"${ifMatch}"`;
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  // index.html preloads the first page without a token, and the browser hands that answer to the
  // first request for it, token or not: a GET refused with a token is asked once more, afresh.
  if (response.status === 401 && token && method === "GET" && retry === "none")
    return api(method, path, options, "afresh");
  if (response.status === 401 && retry !== "with-new-token") {
    pendingAsk ??= askToken(
      token ? "The API refused the token. Enter the right one." : "This API needs a token.",
    ).finally(() => {
      pendingAsk = undefined;
    });
    const given = await pendingAsk;
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given);
      return api(method, path, options, "with-new-token");
    }
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const schedulePath = (name) => `/api/v1/schedules/${encodeURIComponent(name)}`;
