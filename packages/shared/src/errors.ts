/** A detail of a validation failure: which field, and what is wrong with it. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * The one error type hotbeat throws on purpose. `code` is stable and is what the API maps to an
 * HTTP status; `shared` itself knows nothing of HTTP.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
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
