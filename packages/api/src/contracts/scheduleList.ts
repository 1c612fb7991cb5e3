import {
  RUN_KINDS,
  RUN_STATUSES,
  SCHEDULE_SORTS,
  toScheduleJson,
  type ListedSchedule,
} from "@hotbeat/shared";
import { z } from "zod";
import { scheduleJsonSchema } from "./responses.js";

/** Largest page a client may ask for. */
export const MAX_LIST_LIMIT = 500;

/**
 * `?label=`: repeatable, and each value a comma list, all ANDed (kubectl's selector syntax). A
 * query string gives one value as a string and a repeated one as a list; both are read.
 */
export const labelQuerySchema = z
  .union([z.string().max(1000), z.array(z.string().max(1000)).max(20, "may be given at most 20 times")])
  .optional()
  .describe(
    "label selector: key=value, key!=value, key (has it), !key (has it not); comma lists and repeated values are ANDed",
  );

/** The `?label=` values as a list (absent: undefined). */
export function readLabelSelector(label: string | string[] | undefined): string[] | undefined {
  return label === undefined ? undefined : [label].flat();
}

/** The filters, order and paging of `GET /api/v1/schedules`. */
export const scheduleListQuerySchema = z.strictObject({
  label: labelQuerySchema,
  enabled: z.enum(["true", "false"], { message: "must be true or false" }).optional(),
  task: z.string().max(200).optional(),
  health: z
    .enum(["ok", "invalid"], { message: "must be ok or invalid" })
    .optional()
    .describe("invalid: only the schedules hotbeat cannot fire, with their reason"),
  q: z.string().max(200).optional().describe("text searched in name and description, case-insensitively"),
  sort: z
    .enum(SCHEDULE_SORTS, { message: "must be name or next" })
    .optional()
    .describe("name (default) or next: soonest next run first, schedules that never fire again last"),
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_LIST_LIMIT, `must be at most ${MAX_LIST_LIMIT}`)
    .optional()
    .describe("page size; without it every matching schedule is answered"),
  cursor: z.string().max(1000).optional().describe("the previous page's nextCursor, with the same filters"),
});

/** The latest run of a listed schedule: the first the runs list shows for it. */
export const lastRunSchema = z
  .object({
    id: z.string(),
    kind: z.enum(RUN_KINDS),
    status: z.enum(RUN_STATUSES),
    scheduledAt: z.string().describe("its fire instant (a manual run's: when it was asked for), ISO UTC"),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "LastRun" });

/** A listed schedule: the schedule plus what the server computes for it. */
export const listedScheduleSchema = scheduleJsonSchema
  .extend({
    nextFireAt: z.string().nullable().describe("the next fire, ISO UTC; null when paused or never again"),
    lastRun: lastRunSchema
      .nullable()
      .describe("its latest run whose instant has come (newest created first); null when it never ran"),
  })
  .meta({ id: "ListedSchedule" });

export const scheduleListSchema = z
  .object({
    schedules: z.array(listedScheduleSchema),
    nextCursor: z.string().nullable().describe("pass as cursor for the next page; null on the last"),
  })
  .meta({ id: "ScheduleList" });

/** A listed schedule as JSON. */
export function toListedScheduleJson(item: ListedSchedule): z.infer<typeof listedScheduleSchema> {
  const { lastRun } = item;
  return {
    // Health and summary come with the page (cached by version, the same as toScheduleView's).
    ...toScheduleJson(item.schedule),
    health: item.health,
    summary: item.summary,
    nextFireAt: item.nextFireAt?.toISOString() ?? null,
    lastRun: lastRun && {
      id: lastRun.id,
      kind: lastRun.kind,
      status: lastRun.status,
      scheduledAt: lastRun.scheduledAt.toISOString(),
      startedAt: lastRun.startedAt?.toISOString() ?? null,
      finishedAt: lastRun.finishedAt?.toISOString() ?? null,
    },
  };
}
