/**
 * Headers an HTTP client manages itself or that change how the connection is framed: set from a
 * payload they would be dropped, rejected by the client, or would desynchronise the request.
 */
const CONNECTION_HEADERS = new Set([
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
]);

/** RFC 9110 token characters: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** CR, LF, NUL, or anything a Latin-1 header line cannot carry. */
const UNSENDABLE_VALUE = /[\r\n\u0000]|[^\u0000-\u00ff]/;

/** One header that cannot be sent, with the reason. */
export interface UnsendableHeader {
  name: string;
  reason: string;
}

/**
 * The headers of an `http` task payload that cannot be sent as given: connection-level headers
 * (hop-by-hop, `Host`, `Content-Length`), names that are not tokens, and values that are not
 * strings or hold CR, LF, NUL or characters past U+00FF. Refused at save time, so a schedule
 * never fails for it at every fire.
 */
export function findUnsendableHeaders(headers: Record<string, unknown>): UnsendableHeader[] {
  const found: UnsendableHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      found.push({ name, reason: "is not a valid header name" });
    } else if (CONNECTION_HEADERS.has(name.toLowerCase())) {
      found.push({ name, reason: "is set by the HTTP client itself and cannot be sent from a payload" });
    } else if (typeof value !== "string") {
      found.push({ name, reason: "must be a string" });
    } else if (UNSENDABLE_VALUE.test(value)) {
      found.push({
        name,
        reason: "holds CR, LF, NUL or a character past U+00FF, which a header cannot carry",
      });
    }
  }
  return found;
}
