import type { z } from "zod";

/**
 * Parses `text` as JSON and checks it against `schema`. Undefined (never throws) for text that is
 * not JSON or does not match: messages from other processes are read defensively, one bad
 * message must not stop a listener.
 */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string): z.infer<S> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // not JSON: reported to the caller as undefined, like a mismatch
  }
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}
