/**
 * SQLSTATE classes for which PostgreSQL refused what was written rather than failed to write it:
 * 22 data exception (among them 22021 a NUL byte, 22P05 an untranslatable character, 22P02 bad
 * JSON), 23 integrity constraint violation, 54 program limit exceeded. Writing the same values
 * again gives the same answer, so such a write is never retried as if the database were away.
 */
const CONTENT_REFUSAL_CLASSES = ["22", "23", "54"];

/** The SQLSTATE of a PostgreSQL error (postgres.js), looked for along the `cause` chain. */
export function findSqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const candidate = current as { code?: unknown; severity?: unknown; cause?: unknown };
    // `severity` tells a server's answer from a Node socket error, whose `code` is like EPIPE.
    if (typeof candidate.code === "string" && typeof candidate.severity === "string") return candidate.code;
    current = candidate.cause;
  }
  return undefined;
}

/** Whether PostgreSQL refused the write for its content (see {@link CONTENT_REFUSAL_CLASSES}). */
export function isRefusedForContent(error: unknown): boolean {
  try {
    const state = findSqlState(error);
    return state !== undefined && CONTENT_REFUSAL_CLASSES.includes(state.slice(0, 2));
  } catch {
    // A value that cannot be inspected is not PostgreSQL's answer.
    return false;
  }
}

/** PostgreSQL refused a ledger write for what it contained; retrying it would fail the same way. */
export class LedgerWriteRefusedError extends Error {
  constructor(
    what: string,
    /** The SQLSTATE PostgreSQL answered. */
    readonly sqlState: string,
    options: { cause: unknown },
  ) {
    super(`PostgreSQL refused to ${what} (SQLSTATE ${sqlState})`, options);
    this.name = "LedgerWriteRefusedError";
  }
}
