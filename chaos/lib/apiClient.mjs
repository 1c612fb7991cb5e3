import { performance } from "node:perf_hooks";

export const wallNowMs = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** A JSON client of the API with the bearer token; never hangs (each call has a deadline). */
export function createApiClient(baseUrl, token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  async function call(method, path, body, timeoutMs = 15_000) {
    const sentAtMs = wallNowMs();
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      let json;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = { raw: text.slice(0, 200) };
      }
      return { status: response.status, body: json, sentAtMs, latencyMs: wallNowMs() - sentAtMs };
    } catch (error) {
      const status = error?.name === "TimeoutError" ? "timeout" : "error";
      return {
        status,
        body: { error: String(error?.message ?? error) },
        sentAtMs,
        latencyMs: wallNowMs() - sentAtMs,
      };
    }
  }
  return {
    call,
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body),
    patch: (path, body) => call("PATCH", path, body),
    delete: (path) => call("DELETE", path),
  };
}

/**
 * Reads one schedule every `everyMs` for the whole run (an API answer needs PostgreSQL), so each
 * fault's row can say what the API answered while it lasted: codes, and the slowest answer.
 */
export function startApiProbe(api, path, everyMs = 500) {
  const answers = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const startedMs = wallNowMs();
      const answer = await api.call("GET", path, undefined, 10_000);
      answers.push({ atMs: answer.sentAtMs, status: answer.status, latencyMs: answer.latencyMs });
      await sleep(everyMs - (wallNowMs() - startedMs));
    }
  })();
  return {
    answers,
    /** Codes and the slowest answer among probes sent in [fromMs, toMs]. */
    summarize(fromMs, toMs) {
      const within = answers.filter((a) => a.atMs >= fromMs && a.atMs <= toMs);
      const codes = {};
      for (const a of within) codes[a.status] = (codes[a.status] ?? 0) + 1;
      const maxLatencyMs = within.reduce((max, a) => Math.max(max, a.latencyMs), 0);
      return { codes, maxLatencyMs: Math.round(maxLatencyMs) };
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
