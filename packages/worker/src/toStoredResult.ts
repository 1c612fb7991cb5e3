import type { Logger } from "@hotbeat/shared";
import { describeThrown } from "./describeThrown.js";

/** Results larger than this (as JSON) are not stored on the run; the runs list stays light. */
const MAX_RESULT_JSON_LENGTH = 64 * 1024;

/**
 * What the run records of a handler's return value: null for nothing, a note in place of a value
 * that is not JSON or is too large. Text PostgreSQL refuses is rewritten later, by `finishRun`.
 */
export function toStoredResult(result: unknown, log: Logger): unknown {
  if (result === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch (error) {
    log.warn({ err: error }, "task result is not JSON-serialisable; not stored");
    return { omitted: `result is not JSON-serialisable: ${describeThrown(error)}` };
  }
  if (text === undefined) return null;
  if (text.length > MAX_RESULT_JSON_LENGTH) {
    log.warn({ length: text.length }, "task result too large; not stored");
    return { omitted: "result larger than 64 KiB", length: text.length };
  }
  return JSON.parse(text) as unknown;
}
