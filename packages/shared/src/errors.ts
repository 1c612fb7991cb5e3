/** A detail of a validation failure: which field, and what is wrong with it. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/** Every code an {@link AppError} carries; the API maps each one to an HTTP status. */
export const APP_ERROR_CODES = [
  "invalid",
  "unauthorized",
  "not_found",
  "conflict",
  "version_conflict",
  "too_large",
  "rate_limited",
  "config",
  "unreachable",
  "task_permanent",
  "task_transient",
  "task_timeout",
  "worker_shutdown",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/**
 * The one error type hotbeat throws on purpose. `code` is stable and is what the API maps to an
 * HTTP status; `shared` itself knows nothing of HTTP.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidSchedule extends AppError {
  constructor(details: ErrorDetail[], message?: string) {
    super("invalid", message ?? details.map((d) => `${d.field}: ${d.message}`).join("; "), details);
  }
}

export class ScheduleNotFound extends AppError {
  constructor(readonly scheduleName: string) {
    super("not_found", `schedule "${scheduleName}" does not exist`);
  }
}

export class ScheduleExists extends AppError {
  constructor(readonly scheduleName: string) {
    super("conflict", `schedule "${scheduleName}" already exists`, [
      { field: "name", message: "a schedule with this name already exists" },
    ]);
  }
}

export class VersionConflict extends AppError {
  constructor(
    readonly scheduleName: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      "version_conflict",
      `schedule "${scheduleName}" is at version ${actualVersion}, not the expected ${expectedVersion}`,
    );
  }
}

export class ConfigError extends AppError {
  constructor(variable: string, message: string) {
    super("config", `${variable}: ${message}`, [{ field: variable, message }]);
  }
}
