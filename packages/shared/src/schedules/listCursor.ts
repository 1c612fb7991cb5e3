import { AppError } from "../errors.js";

/** The orders a schedule list can come in. */
export const SCHEDULE_SORTS = ["name", "next"] as const;
export type ScheduleSort = (typeof SCHEDULE_SORTS)[number];

/** The keyset a cursor carries: the last row's sort key. `t` is its next fire in ms (next sort). */
export interface CursorKey {
  n: string;
  t?: number | null;
}

class InvalidCursor extends AppError {
  constructor(cause?: unknown) {
    super(
      "invalid",
      "cursor: not a cursor this list gave out",
      [{ field: "cursor", message: "not a cursor this list gave out" }],
      { cause },
    );
  }
}

export const encodeCursor = (key: CursorKey) => Buffer.from(JSON.stringify(key)).toString("base64url");

/** The key of a cursor the list gave out for `sort`; an `invalid` error naming `cursor` otherwise. */
export function decodeCursor(cursor: string, sort: ScheduleSort): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (error) {
    throw new InvalidCursor(error);
  }
  const isKey =
    typeof key === "object" &&
    key !== null &&
    typeof (key as CursorKey).n === "string" &&
    (sort === "name" || (key as CursorKey).t === null || typeof (key as CursorKey).t === "number");
  if (!isKey) throw new InvalidCursor();
  return key as CursorKey;
}

/** Later than any instant: schedules that never fire again sort last. */
const NEVER_MS = Number.MAX_SAFE_INTEGER;

export const compareName = (a: CursorKey, b: CursorKey) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0);

export const compareNext = (a: CursorKey, b: CursorKey) =>
  (a.t ?? NEVER_MS) - (b.t ?? NEVER_MS) || compareName(a, b);
