import { AppError, type ErrorDetail } from "../errors.js";

/** How many of the schedules naming a calendar a refused delete lists. */
export const LISTED_USERS = 10;

export class InvalidCalendar extends AppError {
  constructor(details: ErrorDetail[]) {
    super("invalid", details.map((d) => `${d.field}: ${d.message}`).join("; "), details);
  }
}

export class CalendarNotFound extends AppError {
  constructor(readonly calendarName: string) {
    super("not_found", `calendar "${calendarName}" does not exist`);
  }
}

export class CalendarExists extends AppError {
  constructor(readonly calendarName: string) {
    super("conflict", `calendar "${calendarName}" already exists`, [
      { field: "name", message: "a calendar with this name already exists" },
    ]);
  }
}

/** A delete refused because schedules still name the calendar: they would lose their exclusions. */
export class CalendarInUse extends AppError {
  constructor(
    readonly calendarName: string,
    readonly scheduleNames: readonly string[],
    readonly useCount: number,
  ) {
    const listed = scheduleNames.slice(0, LISTED_USERS).join(", ");
    const more = useCount > LISTED_USERS ? ` and ${useCount - LISTED_USERS} more` : "";
    super(
      "conflict",
      `calendar "${calendarName}" is named by ${useCount} schedule${useCount === 1 ? "" : "s"} (${listed}${more}); remove it from them first`,
      [{ field: "name", message: `is named by ${useCount} schedule${useCount === 1 ? "" : "s"}` }],
    );
  }
}

export class CalendarVersionConflict extends AppError {
  constructor(
    readonly calendarName: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      "version_conflict",
      `calendar "${calendarName}" is at version ${actualVersion}, not the expected ${expectedVersion}`,
    );
  }
}
