import { ApiError, ApiUnreachable, type ApiErrorDetail } from "./errors.js";

export interface ApiClientOptions {
  /** The API's base address, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  token?: string | undefined;
  /** Recorded in history as who made a change. */
  actor: string;
  timeoutMs?: number;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as If-Match: the write fails with 412 unless the schedule is still at this version. */
  ifMatch?: number | undefined;
  /** Recorded in history beside the change (sent as `?note=`, so any text fits). */
  note?: string | undefined;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * A thin client of the hotbeat HTTP API over the global fetch. Every request says it comes from
 * the CLI and who runs it; a refusal becomes an {@link ApiError}, a dead address an
 * {@link ApiUnreachable} naming the URL.
 */
export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");

  async function request<T>(
    method: string,
    path: string,
    init: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const url = new URL(baseUrl + path);
    for (const [key, value] of Object.entries({ ...init.query, note: init.note })) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: "application/json",
      "x-hotbeat-source": "cli",
      "x-hotbeat-actor": toActorHeader(options.actor),
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    if (init.ifMatch !== undefined) headers["if-match"] = `"${init.ifMatch}"`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw new ApiUnreachable(baseUrl, { cause: error });
    }
    const text = await response.text();
    const body = parseBody(text);
    if (!response.ok) throw toApiError(response.status, body, text);
    return { status: response.status, body: body as T, headers: response.headers };
  }

  return { baseUrl, request };
}

/** The API takes 1–100 of `[A-Za-z0-9_.@+:-]` as an actor; anything else in a user name becomes `_`. */
export function toActorHeader(actor: string): string {
  return actor.replace(/[^\w.@+:-]/g, "_").slice(0, 100) || "cli";
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toApiError(status: number, body: unknown, text: string): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  if (error && typeof error === "object") {
    const details = Array.isArray(error.details) ? (error.details as unknown[]).filter(isDetail) : [];
    const code = typeof error.code === "string" ? error.code : String(status);
    const message = typeof error.message === "string" ? error.message : `HTTP ${status}`;
    return new ApiError(status, code, message, details, body);
  }
  return new ApiError(status, String(status), text.trim() || `HTTP ${status}`, [], body);
}

function isDetail(value: unknown): value is ApiErrorDetail {
  return typeof value === "object" && value !== null && "message" in value;
}
