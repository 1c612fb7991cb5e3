/**
 * Headers that describe the connection or the message framing. The `http` task owns them: one
 * taken from a payload would let a schedule smuggle a second request or hang the target.
 */
export const CONNECTION_HEADERS = [
  "transfer-encoding",
  "connection",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "keep-alive",
  "proxy-connection",
  "host",
  "content-length",
] as const;

/** A payload header the `http` task cannot send, and why. */
export interface UnsendableHeader {
  name: string;
  reason: string;
}

/** RFC 9110 token characters, as Node checks header names. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const connectionHeaders = new Set<string>(CONNECTION_HEADERS);

function findValueProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (/[\r\n]/.test(value)) return "must not contain line breaks";
  if (value.includes("\0")) return "must not contain NUL characters";
  // Node sends header values as Latin-1 and refuses the other control characters (tab is fine).
  if (/[\x01-\x08\x0b-\x1f\x7f]/.test(value)) return "must not contain control characters";
  if (/[^\x00-\xff]/.test(value)) return "must contain only Latin-1 characters (percent-encode the rest)";
  return undefined;
}

/**
 * The headers of an `http` payload that cannot be sent: an invalid name, a connection header
 * ({@link CONNECTION_HEADERS}), or a value with line breaks, NULs, control or non-Latin-1
 * characters. The API refuses them when a schedule is saved and the worker when a run starts, so
 * that such a header is a permanent failure and never a retried one.
 *
 * @returns one entry per offending header, in the payload's order; empty when all can be sent
 */
export function findUnsendableHeaders(headers: Readonly<Record<string, unknown>>): UnsendableHeader[] {
  const found: UnsendableHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      found.push({ name, reason: "is not a valid header name" });
    } else if (connectionHeaders.has(name.toLowerCase())) {
      found.push({ name, reason: "is set by the http task itself and cannot come from the payload" });
    } else {
      const reason = findValueProblem(value);
      if (reason) found.push({ name, reason });
    }
  }
  return found;
}
