/**
 * Keys that would let JSON reach an object's prototype once parsed by a careless consumer. Refused
 * wherever hotbeat reads free-form JSON, not stripped: a request that tries prototype poisoning
 * is an error, not a silent edit.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The dotted path of the first forbidden key in `value`, depth first, below `path` ("" for the
 * root), or undefined when there is none. A `constructor` object holding `prototype` is named down
 * to its `prototype`, the key that does the harm (and the one JSON parsers refuse for).
 */
export function findForbiddenKey(value: unknown, path = ""): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    const child = (value as Record<string, unknown>)[key];
    if (
      key === "constructor" &&
      child !== null &&
      typeof child === "object" &&
      Object.hasOwn(child, "prototype")
    ) {
      return `${here}.prototype`;
    }
    if (FORBIDDEN_KEYS.has(key)) return here;
    const nested = findForbiddenKey(child, here);
    if (nested) return nested;
  }
  return undefined;
}
