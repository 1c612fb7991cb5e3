import { AppError } from "@hotbeat/shared";

/** Longest description of a thrown value that is not an Error (its JSON, or what String gives). */
const MAX_DESCRIPTION_LENGTH = 1000;

/** Runs `read`, or answers undefined when it throws: a Proxy or a getter may throw on any access. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function describeError(error: Error): string {
  const message = attempt(() => error.message);
  const text = typeof message === "string" && message !== "" ? message : attempt(() => error.name);
  const description = typeof text === "string" && text !== "" ? text : "an error without a message";
  // An AppError's code is for programs; its message already says it all.
  if (attempt(() => error instanceof AppError) === true) return description;
  const code = attempt(() => (error as { code?: unknown }).code);
  return typeof code === "string" && !description.includes(code) ? `${description} (${code})` : description;
}

function describeObject(value: object): string {
  // String() is the point here: it is what throws for Object.create(null) and hostile objects.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const asString = attempt(() => String(value));
  if (typeof asString === "string" && asString !== "[object Object]") return asString;
  const asJson = attempt(() => JSON.stringify(value));
  if (typeof asJson === "string") return asJson;
  return "an object that cannot be described";
}

function describeOther(thrown: unknown): string {
  if (typeof thrown === "symbol") return attempt(() => thrown.toString()) ?? "a symbol";
  if (typeof thrown === "function") return "a function";
  if (thrown === null || typeof thrown !== "object") return String(thrown);
  return describeObject(thrown);
}

/**
 * A one-line description of anything a task can throw, for the run's `error` column and logs.
 * It never throws itself: `String(x)` throws for `Object.create(null)`, for an object whose
 * `toString` throws and for a Proxy, and such a value must fail the run like any other error
 * rather than escape the worker's retry policy.
 */
export function describeThrown(thrown: unknown): string {
  if (isErrorSafely(thrown)) return describeError(thrown);
  if (typeof thrown === "string") return thrown;
  const description = attempt(() => describeOther(thrown)) ?? "an unreadable value";
  const cut =
    description.length > MAX_DESCRIPTION_LENGTH
      ? `${description.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…`
      : description;
  return `a non-Error was thrown: ${cut}`;
}

/** Whether `thrown` is an Error, answering false (instead of throwing) for a Proxy that refuses. */
export function isErrorSafely(thrown: unknown): thrown is Error {
  return attempt(() => thrown instanceof Error) === true;
}
