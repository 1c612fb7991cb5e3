import { describeThrown, isErrorSafely } from "../describeThrown.js";

/** How many `cause` links are followed into a log line. */
const MAX_CAUSE_DEPTH = 4;

/**
 * Rewrites text that may carry a credential: the bound parameters Drizzle appends to a failed
 * query's message (a run's result or error can hold what a target echoed back), the password of a
 * URL, and the value of a Bearer or Basic authorization.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, "\nparams: [not logged]")
    .replace(/(\/\/[^/\s:@]*):[^@\s/]*@/g, "$1:[redacted]@")
    .replace(/\b(Bearer|Basic|Token)\s+[^\s"',;]+/gi, "$1 [redacted]");
}

function readString(read: () => unknown): string | undefined {
  try {
    const value = read();
    return typeof value === "string" ? value : undefined;
  } catch {
    // A getter or a Proxy that throws: the field is left out of the line.
    return undefined;
  }
}

function serializeAt(thrown: unknown, depth: number): Record<string, unknown> {
  if (!isErrorSafely(thrown)) return { type: "thrown", message: redactSecrets(describeThrown(thrown)) };
  const error = thrown;
  const line: Record<string, unknown> = {
    type: readString(() => error.name) ?? "Error",
    message: redactSecrets(describeThrown(error)),
  };
  const stack = readString(() => error.stack);
  if (stack) line.stack = redactSecrets(stack);
  const code = readString(() => (error as { code?: unknown }).code);
  if (code) line.code = code;
  let cause: unknown;
  try {
    cause = error.cause;
  } catch {
    cause = undefined;
  }
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) line.cause = serializeAt(cause, depth + 1);
  return line;
}

/**
 * The worker's pino serializer for `err`. It never throws (a task may throw anything), keeps only
 * the name, message, stack, code and cause chain, never an error's own fields (Drizzle's `params`
 * holds every bound value of the failed query), and redacts credentials in what it keeps.
 */
export function serializeLoggedError(thrown: unknown): Record<string, unknown> {
  return serializeAt(thrown, 0);
}
