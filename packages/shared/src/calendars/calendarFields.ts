import { z } from "zod";
import type { ErrorDetail } from "../errors.js";
import { dateSetSchema } from "../schedules/dateSet.js";
import { NAME_PATTERN } from "../schedules/model.js";
import { findUnstorableValue } from "../schedules/storableJson.js";
import { findForbiddenKey } from "../support/forbiddenKeys.js";
import { InvalidCalendar } from "./calendarErrors.js";

/** Fields hotbeat maintains on a calendar; a request that sets one is refused, naming it. */
export const CALENDAR_READ_ONLY_FIELDS = [
  "version",
  "createdAt",
  "updatedAt",
  "updatedBy",
  "usedBy",
] as const;

/** The editable fields of a calendar, as the API and the CLI take them. */
export const calendarFieldsSchema = z.strictObject({
  name: z
    .string()
    .regex(NAME_PATTERN, "must match ^[a-z0-9][a-z0-9_.-]{0,99}$ (lowercase letters, digits, _ . -)"),
  description: z.string().max(2000, "must be at most 2000 characters"),
  dates: dateSetSchema.describe(
    "dates YYYY-MM-DD and inclusive ranges YYYY-MM-DD/YYYY-MM-DD; each schedule reads them in its own zone",
  ),
});

/** A create request: the name, and optionally a description and dates. */
export const calendarCreateSchema = calendarFieldsSchema.partial().required({ name: true });
/** A partial update: the description, the dates, or both (the name is the calendar's identity). */
export const calendarPatchSchema = calendarFieldsSchema.omit({ name: true }).partial();

/** Every field of a calendar, resolved: what the write path stores. */
export interface CalendarDraft {
  name: string;
  description: string;
  dates: string[];
}

function toCalendarErrorDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: [path, key].filter(Boolean).join("."),
        message: (CALENDAR_READ_ONLY_FIELDS as readonly string[]).includes(key)
          ? "is maintained by hotbeat and cannot be set"
          : key === "name"
            ? "cannot be changed: a calendar's name is its identity"
            : "is not a field of a calendar",
      }));
    }
    if (issue.code === "invalid_type" && issue.input === undefined)
      return [{ field: path || "body", message: "is required" }];
    return [{ field: path || "body", message: issue.message }];
  });
}

function parseCalendarInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const unstorable = findUnstorableValue(input);
  if (unstorable) throw new InvalidCalendar([unstorable]);
  const forbidden = findForbiddenKey(input);
  if (forbidden) throw new InvalidCalendar([{ field: forbidden, message: "is a forbidden key" }]);
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new InvalidCalendar(toCalendarErrorDetails(result.error));
  return result.data;
}

/** Validates a create request (errors name the field: `dates.3`) and fills in the defaults. */
export function resolveCalendarCreate(input: unknown): CalendarDraft {
  const value = parseCalendarInput(calendarCreateSchema, input);
  return { name: value.name, description: value.description ?? "", dates: value.dates ?? [] };
}

/** Validates a partial update against the stored calendar. */
export function resolveCalendarPatch(current: CalendarDraft, input: unknown): CalendarDraft {
  const patch = parseCalendarInput(calendarPatchSchema, input);
  return {
    name: current.name,
    description: patch.description ?? current.description,
    dates: patch.dates ?? current.dates,
  };
}

/** True when a save would store what is already there. */
export function isSameCalendar(a: CalendarDraft, b: CalendarDraft): boolean {
  return a.description === b.description && JSON.stringify(a.dates) === JSON.stringify(b.dates);
}
