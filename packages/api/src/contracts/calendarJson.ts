import { toCalendarJson, type CalendarWithUse } from "@hotbeat/shared";
import { z } from "zod";
import { buildHistoryEntrySchema } from "./historyJson.js";
import { appliedSchema } from "./responses.js";

/** A calendar as the API shows it. Instants are ISO 8601 UTC strings. */
export const calendarJsonSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    dates: z
      .array(z.string())
      .describe(
        "dates YYYY-MM-DD and inclusive ranges YYYY-MM-DD/YYYY-MM-DD; each schedule reads them in its zone",
      ),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    usedBy: z.number().int().describe("how many schedules name this calendar"),
  })
  .meta({ id: "Calendar" });

/** The envelope of a calendar create or update. */
export const calendarWriteSchema = z
  .object({
    calendar: calendarJsonSchema,
    changed: z.boolean().describe("false when the request matched what was stored; nothing was written"),
    schedules: z
      .array(z.object({ name: z.string(), version: z.number().int() }))
      .describe("the schedules naming the calendar, each at the new version this change gave it"),
    applied: appliedSchema.optional(),
  })
  .meta({ id: "CalendarWrite" });

/** One entry of a calendar's history. */
export const calendarHistoryEntrySchema = buildHistoryEntrySchema("api, cli, ui or sql");

/** A calendar and its use count, as JSON. */
export function toCalendarView(found: CalendarWithUse): z.infer<typeof calendarJsonSchema> {
  return toCalendarJson(found.calendar, found.usedBy);
}
