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

let askToken = async () => undefined;
let pendingAsk;

/** Installs the function that asks the person for a token (a dialog); it resolves to the token or undefined. */
export function setTokenPrompt(prompt) {
  askToken = prompt;
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
 * parsed body (and `etag`), rejects with an ApiError carrying the API's code and field details.
 */
export async function api(method, path, { body, ifMatch, note, query } = {}, isRetry = false) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries({ ...query, note })) {
    if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
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
  if (response.status === 401 && !isRetry) {
    pendingAsk ??= askToken(
      token ? "The API refused the token. Enter the right one." : "This API needs a token.",
    ).finally(() => {
      pendingAsk = undefined;
    });
    const given = await pendingAsk;
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given);
      return api(method, path, { body, ifMatch, note, query }, true);
    }
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const schedulePath = (name) => `/api/v1/schedules/${encodeURIComponent(name)}`;
