import type { ErrorDetail } from "../errors.js";

/**
 * How deep a JSON value may nest. PostgreSQL's jsonb and every JSON walker downstream recurse, and
 * no schedule needs more than a handful of levels.
 */
export const MAX_JSON_DEPTH = 64;

/** A NUL, which PostgreSQL's text and jsonb cannot hold. */
const NUL = /\u0000/;
/** A UTF-16 surrogate without its pair: UTF-8 cannot encode it, and a driver would store U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as it is, or undefined when it can. */
export function describeUnstorableString(value: string): string | undefined {
  if (NUL.test(value)) return "contains a NUL character (\\u0000), which cannot be stored";
  if (LONE_SURROGATE.test(value))
    return "contains an unpaired UTF-16 surrogate, which is not valid Unicode and cannot be stored";
  return undefined;
}

function joinPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * The first place in a parsed JSON value that PostgreSQL would refuse or silently alter: a string
 * or key with a NUL or a lone surrogate, or nesting past {@link MAX_JSON_DEPTH}. The field is the
 * dotted path under `path` (`payload.list[1]`); a bad key names the object that holds it, and too
 * deep a value names the field it sits in (`payload`, `schedules[0].payload`), not its whole path.
 */
export function findUnstorableValue(value: unknown, path = ""): ErrorDetail | undefined {
  return findIn(value, path, 0, undefined);
}

function findIn(
  value: unknown,
  path: string,
  depth: number,
  fieldPath: string | undefined,
): ErrorDetail | undefined {
  const field = path || "body";
  if (typeof value === "string") {
    const message = describeUnstorableString(value);
    return message ? { field, message } : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  if (depth >= MAX_JSON_DEPTH)
    return { field: fieldPath ?? field, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findIn(item, joinPath(path, index), depth + 1, fieldPath);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = describeUnstorableString(key);
    if (keyProblem) return { field, message: `has a key that ${keyProblem}` };
    const here = joinPath(path, key);
    // A list of items (an import's schedules) is not a field yet: the field is inside each item.
    const itemFieldPath = fieldPath ?? (Array.isArray(item) ? undefined : here);
    const found = findIn(item, here, depth + 1, itemFieldPath);
    if (found) return found;
  }
  return undefined;
}
