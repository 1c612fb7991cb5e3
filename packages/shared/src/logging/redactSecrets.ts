/** Keys whose values are credentials wherever they appear in a logged object. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|token|apitoken|secret)$|[-_](key|token|secret)$/i;
/**
 * Fields of a database error that hold the bound values of the failed query: Drizzle's `params`,
 * postgres.js's `parameters` and `args`, and PostgreSQL's `where` (the context, which can quote
 * the statement with its values).
 */
const BOUND_VALUE_KEYS = new Set(["params", "parameters", "args", "where"]);
const CENSOR = "[redacted]";
/** How deep objects and `cause` links are followed into a log line. */
const MAX_DEPTH = 10;
const MAX_CAUSE_DEPTH = 4;

/** Runs `read`, or answers undefined when it throws: a Proxy or a getter may throw on any access. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    // The value is unreadable; the caller leaves it out of the line.
    return undefined;
  }
}

/**
 * Removes credentials from free text: Drizzle's `params:` part (a failed query's message lists
 * every bound value, a payload's headers included), bearer, basic and token credentials, the
 * password of a URL, and the value of a secret key in JSON text.
 */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, "\nparams: [not logged]")
    .replace(/\b(Bearer|Basic|Token)\s+[^\s"',;]+/gi, `$1 ${CENSOR}`)
    .replace(/(\/\/[^/\s:@]*:)[^@\s/]+@/g, "$1***@")
    .replace(
      /("(?:authorization|proxy-authorization|cookie|set-cookie|password|token|[\w-]*[-_](?:key|token|secret))"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
      `$1"${CENSOR}"`,
    );
}

function redactEntries(value: object, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of attempt(() => Object.keys(value)) ?? []) {
    if (SECRET_KEY.test(key)) copy[key] = CENSOR;
    else
      copy[key] = redactAt(
        attempt(() => (value as Record<string, unknown>)[key]),
        depth + 1,
      );
  }
  return copy;
}

function redactAt(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactSecretsInText(value);
  if (value === null || typeof value !== "object") return value;
  // Past the depth nothing is read: an unread object could hold a credential.
  if (depth > MAX_DEPTH) return "[too deep]";
  if (attempt(() => Array.isArray(value)) === true) {
    return (attempt(() => [...(value as unknown[])]) ?? []).map((item) => redactAt(item, depth + 1));
  }
  if (isErrorSafely(value)) return serializeErrorAt(value, 0);
  return redactEntries(value, depth);
}

/**
 * A copy of `value` with every secret key's value censored and every string cleaned. It never
 * throws, whatever it is handed.
 */
export function redactSecrets(value: unknown): unknown {
  return redactAt(value, 0);
}

/** Whether `thrown` is an Error, answering false (instead of throwing) for a Proxy that refuses. */
function isErrorSafely(thrown: unknown): thrown is Error {
  return attempt(() => thrown instanceof Error) === true;
}

function readString(read: () => unknown): string | undefined {
  const value = attempt(read);
  return typeof value === "string" ? value : undefined;
}

/** A one-line description of a thrown value that is not an Error. */
function describeOther(thrown: unknown): string {
  if (typeof thrown === "string") return thrown;
  if (typeof thrown === "symbol") return attempt(() => thrown.toString()) ?? "a symbol";
  if (typeof thrown === "function") return "a function";
  if (thrown === null || typeof thrown !== "object") return String(thrown);
  return attempt(() => JSON.stringify(thrown)) ?? "an object that cannot be described";
}

function serializeErrorAt(error: Error, depth: number): Record<string, unknown> {
  // The error's own fields (a PostgreSQL code, constraint or detail) help a reader; those that
  // hold the failed query's bound values never reach the line.
  const line = redactEntries(error, depth);
  for (const key of BOUND_VALUE_KEYS) if (key in line) line[key] = "[not logged]";
  line.type = readString(() => error.constructor.name) ?? readString(() => error.name) ?? "Error";
  line.message = redactSecretsInText(readString(() => error.message) ?? "");
  const stack = readString(() => error.stack);
  if (stack) line.stack = redactSecretsInText(stack);
  const code = readString(() => (error as { code?: unknown }).code);
  if (code) line.code = code;
  const cause = attempt(() => error.cause);
  if (cause === undefined || depth >= MAX_CAUSE_DEPTH) delete line.cause;
  else line.cause = isErrorSafely(cause) ? serializeErrorAt(cause, depth + 1) : redactAt(cause, depth + 1);
  return line;
}

/**
 * The pino serializer of `err` for every hotbeat process. It never throws (a task may throw
 * anything, a Proxy included), and keeps an error's name, message, stack, code, own fields and
 * cause chain with credentials removed: redaction paths cannot reach into an error's text, where
 * a database driver puts the values, nor into the fields where it keeps them.
 */
export function serializeError(thrown: unknown): unknown {
  if (isErrorSafely(thrown)) return serializeErrorAt(thrown, 0);
  if (thrown !== null && typeof thrown === "object") return redactAt(thrown, 0);
  return {
    type: "thrown",
    message: redactSecretsInText(attempt(() => describeOther(thrown)) ?? "an unreadable value"),
  };
}
