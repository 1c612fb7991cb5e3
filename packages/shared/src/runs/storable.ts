/**
 * PostgreSQL refuses some strings JavaScript holds without complaint: a NUL character (in `text`
 * and `jsonb`) and a lone UTF-16 surrogate (in `jsonb`; in `text` it would silently become U+FFFD).
 * A run's result or error must be stored whatever a task produced, so these are rewritten in a
 * visible way, with a note saying so, rather than refused or altered silently.
 */

/** Marks text that was cut short. */
const ELLIPSIS = "…";

/** Cuts `text` to at most `maxLength` UTF-16 units without splitting a surrogate pair. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = maxLength;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

function describeChanges(nulCount: number, surrogateCount: number): string {
  const parts: string[] = [];
  if (nulCount > 0) parts.push(`${nulCount} NUL character(s) written as \\u0000`);
  if (surrogateCount > 0) parts.push(`${surrogateCount} lone surrogate(s) replaced by U+FFFD`);
  return `changed to be storable: ${parts.join(", ")}`;
}

/** Replaces every lone surrogate by U+FFFD (String#toWellFormed, which ES2023 lacks), counting them. */
function replaceLoneSurrogates(text: string): { text: string; count: number } {
  let count = 0;
  const clean = text.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    () => {
      count++;
      return "\ufffd";
    },
  );
  return { text: clean, count };
}

/**
 * Makes `text` storable in a `text` column and at most `maxLength` long (cut on a code point,
 * ending in "…"): NULs become the six characters `\u0000` and lone surrogates U+FFFD, and when
 * either happened a note in brackets says so at the end.
 */
export function toStorableText(text: string, maxLength: number): string {
  const nulCount = text.split("\0").length - 1;
  const { text: wellFormed, count: surrogateCount } = replaceLoneSurrogates(text);
  const note = nulCount + surrogateCount > 0 ? ` [${describeChanges(nulCount, surrogateCount)}]` : "";
  const clean = wellFormed.replaceAll("\0", "\\u0000");
  if (clean.length + note.length <= maxLength) return clean + note;
  return truncateText(clean, maxLength - note.length - ELLIPSIS.length) + ELLIPSIS + note;
}

/** A result that had to be rewritten to be stored; `value` is the rewritten result. */
export interface RewrittenResult {
  note: string;
  value: unknown;
}

/**
 * Makes a JSON-serialisable value storable as `jsonb`. It works on the JSON text, where
 * JSON.stringify has already written every NUL as `\u0000` and every lone surrogate as `\udXXX`
 * (a well-formed pair is never escaped), so keys and values at any depth are covered without a
 * walk. An unchanged value is returned as is; a changed one as a {@link RewrittenResult}.
 */
export function toStorableJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  let nulCount = 0;
  let surrogateCount = 0;
  const clean = text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (escape: string, body: string) => {
    const lower = body.toLowerCase();
    if (lower === "u0000") {
      nulCount++;
      return "\\\\u0000";
    }
    if (/^ud[89a-f]/.test(lower)) {
      surrogateCount++;
      return "\\ufffd";
    }
    return escape;
  });
  if (clean === text) return value;
  return {
    note: describeChanges(nulCount, surrogateCount),
    value: JSON.parse(clean) as unknown,
  } satisfies RewrittenResult;
}
