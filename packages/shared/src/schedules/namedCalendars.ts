import { findMissingCalendars, type CalendarReader } from "../calendars/calendarQueries.js";
import type { ErrorDetail } from "../errors.js";
import type { ScheduleDraft } from "./validation.js";

/** Which calendars that drafts name do not exist, asked once for all of them. */
export interface NamedCalendars {
  /** The draft's names that name no calendar. */
  missingOf(draft: ScheduleDraft): string[];
  /** `calendars.N: calendar "x" does not exist` for each of them, under `prefix` (`schedules[3]`). */
  errorsOf(draft: ScheduleDraft, prefix?: string): ErrorDetail[];
}

/**
 * Looks up the calendars the drafts name, inside the write's transaction. Those that exist stay
 * key-share locked until commit, so a calendar delete waits for the write and then sees the
 * schedule among its users: no schedule can be saved naming a calendar deleted under it.
 */
export async function lockNamedCalendars(
  tx: CalendarReader,
  drafts: readonly ScheduleDraft[],
): Promise<NamedCalendars> {
  const names = drafts.flatMap((draft) => draft.calendars);
  const missing = new Set(await findMissingCalendars(tx, names, { lock: true }));
  return {
    missingOf: (draft) => draft.calendars.filter((name) => missing.has(name)),
    errorsOf: (draft, prefix = "") =>
      draft.calendars.flatMap((name, index) =>
        missing.has(name)
          ? [
              {
                field: `${prefix ? `${prefix}.` : ""}calendars.${index}`,
                message: `calendar "${name}" does not exist`,
              },
            ]
          : [],
      ),
  };
}
