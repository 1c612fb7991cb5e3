/** Socket errors of a server that is down, unreachable or went away mid-query. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** postgres.js's own codes for a connection that could not be made or was lost. */
const DRIVER_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * PostgreSQL's SQLSTATEs for a server that is not serving: class 08 (connection exception),
 * 57P01-57P03 (shutting down, crashed, starting up) and 53300 (too many connections).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const SERVER_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

function hasUnavailableCode(error: object): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return false;
  return NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || SERVER_STATES.has(code) || /^08/.test(code);
}

/**
 * True when `error` (or an error it wraps, through `cause` or an AggregateError's `errors`) says
 * PostgreSQL could not be reached, rather than that it refused the statement: the first is worth
 * a retry later (503), the second is not.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== "object" || depth > 8) return false;
  if (hasUnavailableCode(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (isDatabaseUnavailable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
