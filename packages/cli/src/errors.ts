/** A command line the CLI cannot make sense of; exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    /** The command whose usage to point at, when known. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface ApiErrorDetail {
  field: string;
  message: string;
}

/** The API answered and refused; exit code 1. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

/** Nothing answered at the API's address; exit code 3. */
export class ApiUnreachable extends Error {
  override readonly name = "ApiUnreachable";
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(`cannot reach the hotbeat API at ${url}`, options);
  }
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;
