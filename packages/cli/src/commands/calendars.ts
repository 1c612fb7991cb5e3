import type { OptionValues } from "../args.js";
import type { Command, CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { formatHistory, formatTable } from "../format.js";
import { readListOption } from "../scheduleOptions.js";
import type { HistoryEntryJson } from "../types.js";
import { readList } from "./history.js";

/** A calendar as the API answers it. */
export interface CalendarJson {
  name: string;
  description: string;
  dates: string[];
  version: number;
  updatedAt: string;
  updatedBy: string;
  usedBy: number;
}

interface CalendarWriteAnswer {
  calendar: CalendarJson;
  changed: boolean;
  schedules: { name: string; version: number }[];
}

const ACTIONS = ["list", "get", "create", "set", "delete", "history"] as const;
type Action = (typeof ACTIONS)[number];

const calendarPath = (name: string) => `/api/v1/calendars/${encodeURIComponent(name)}`;

export const calendarsCommand: Command = {
  name: "calendars",
  summary: "Shared calendars: named sets of dates that schedules skip (holidays).",
  usage: "calendars list | get NAME | create NAME [--dates D] | set NAME [...] | delete NAME | history NAME",
  optionHelp: [
    "--dates DATES         the dates and ranges, comma separated: 2027-01-01,2027-04-30/2027-05-01",
    "                      (with set, they replace the calendar's dates)",
    "--add-dates DATES     set: add these dates and ranges",
    "--remove-dates DATES  set: remove these entries, as the calendar lists them",
    "--description TEXT    what the calendar is",
    "--note TEXT           recorded in the history beside this change",
  ],
  options: {
    dates: { type: "string" },
    "add-dates": { type: "string" },
    "remove-dates": { type: "string" },
    description: { type: "string" },
    note: { type: "string" },
  },
  positionals: { min: 1, max: 2 },
  examples: [
    'hotbeat calendars create vn-public-holidays --dates 2027-01-01,2027-04-30/2027-05-01 --description "Public holidays in Vietnam"',
    "hotbeat calendars set vn-public-holidays --add-dates 2027-09-02 --remove-dates 2027-01-01",
    "hotbeat create payroll --task payroll.run --cron '0 18 L * *' --calendar vn-public-holidays",
    "hotbeat calendars delete vn-public-holidays",
  ],
  async run(ctx, { positionals: [action = "", name], values }) {
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new UsageError(`unknown action "${action}"; one of ${ACTIONS.join(", ")}`, "calendars");
    if (action === "list") {
      if (name !== undefined)
        throw new UsageError(`calendars list takes no name, got "${name}"`, "calendars");
      return listCalendars(ctx);
    }
    if (name === undefined)
      throw new UsageError(`calendars ${action} needs the calendar's name`, "calendars");
    await runOnCalendar(ctx, action as Exclude<Action, "list">, name, values);
  },
};

async function runOnCalendar(
  ctx: CommandContext,
  action: Exclude<Action, "list">,
  name: string,
  values: OptionValues,
): Promise<void> {
  const note = values.note as string | undefined;
  switch (action) {
    case "get": {
      const { body } = await ctx.client.request<CalendarJson>("GET", calendarPath(name));
      if (ctx.json) ctx.printJson(body);
      else ctx.out(formatCalendar(body));
      return;
    }
    case "create": {
      const body: Record<string, unknown> = { name };
      const dates = readListOption(values.dates);
      if (dates) body.dates = dates;
      if (values.description !== undefined) body.description = values.description;
      const { body: answer } = await ctx.client.request<CalendarWriteAnswer>("POST", "/api/v1/calendars", {
        body,
        note,
      });
      return reportCalendarChange(ctx, "Created", answer);
    }
    case "set":
      return setCalendar(ctx, name, values, note);
    case "delete": {
      const { body } = await ctx.client.request<unknown>("DELETE", calendarPath(name), { note });
      if (ctx.json) ctx.printJson(body);
      else ctx.out(`Deleted calendar ${name}.\n`);
      return;
    }
    case "history": {
      const { body } = await ctx.client.request<unknown>("GET", `${calendarPath(name)}/history`);
      const entries = readList<HistoryEntryJson>(body, "history");
      if (ctx.json) ctx.printJson(entries);
      else ctx.out(formatHistory(entries));
    }
  }
}

async function listCalendars(ctx: CommandContext): Promise<void> {
  const { body } = await ctx.client.request<unknown>("GET", "/api/v1/calendars");
  const calendars = readList<CalendarJson>(body, "calendars");
  if (ctx.json) return ctx.printJson(calendars);
  if (calendars.length === 0) return ctx.out("No calendars.\n");
  ctx.out(
    formatTable(
      ["NAME", "DATES", "USED BY", "VERSION", "DESCRIPTION"],
      calendars.map((c) => [
        c.name,
        String(c.dates.length),
        String(c.usedBy),
        String(c.version),
        c.description,
      ]),
    ),
  );
}

async function setCalendar(
  ctx: CommandContext,
  name: string,
  values: OptionValues,
  note: string | undefined,
): Promise<void> {
  const dates = readListOption(values.dates);
  const added = readListOption(values["add-dates"]);
  const removed = readListOption(values["remove-dates"]);
  if (dates && (added || removed))
    throw new UsageError(
      "--dates replaces the dates; it does not mix with --add-dates or --remove-dates",
      "calendars",
    );
  const patch: Record<string, unknown> = {};
  if (dates) patch.dates = dates;
  if (values.description !== undefined) patch.description = values.description;
  let ifMatch: number | undefined;
  if (added || removed) {
    // Read-modify-write: If-Match makes a change made meanwhile refuse this one (412), not vanish.
    const { body: current } = await ctx.client.request<CalendarJson>("GET", calendarPath(name));
    patch.dates = editDates(current.dates, added ?? [], removed ?? []);
    ifMatch = current.version;
  }
  if (Object.keys(patch).length === 0)
    throw new UsageError("nothing to change; see hotbeat calendars --help", "calendars");
  const { body: answer } = await ctx.client.request<CalendarWriteAnswer>("PATCH", calendarPath(name), {
    body: patch,
    ifMatch,
    note,
  });
  reportCalendarChange(ctx, "Updated", answer);
}

/**
 * The calendar's entries with `removed` taken out and `added` appended (each once). Pure; an entry
 * to remove that the calendar does not list is a usage error, not a silent no-op.
 */
export function editDates(
  current: readonly string[],
  added: readonly string[],
  removed: readonly string[],
): string[] {
  const absent = removed.filter((entry) => !current.includes(entry));
  if (absent.length > 0)
    throw new UsageError(
      `--remove-dates: the calendar does not list ${absent.map((e) => `"${e}"`).join(", ")}`,
      "calendars",
    );
  const kept = current.filter((entry) => !removed.includes(entry));
  return [...kept, ...added.filter((entry, i) => !kept.includes(entry) && added.indexOf(entry) === i)];
}

function reportCalendarChange(ctx: CommandContext, verb: string, answer: CalendarWriteAnswer): void {
  if (ctx.json) return ctx.printJson(answer);
  const { calendar, schedules } = answer;
  if (!answer.changed)
    return ctx.out(`Calendar ${calendar.name} already was so (version ${calendar.version}).\n`);
  ctx.out(`${verb} calendar ${calendar.name} (version ${calendar.version}).\n`);
  if (schedules.length > 0)
    ctx.out(
      `${schedules.length} schedule${schedules.length === 1 ? "" : "s"} naming it took the change: ${schedules
        .map((s) => s.name)
        .join(", ")}.\n`,
    );
}

/** One calendar, a field a line, its dates listed in full. */
export function formatCalendar(c: CalendarJson): string {
  const rows: [string, string][] = [
    ["name", c.name],
    ["description", c.description || "-"],
    ["dates", c.dates.length ? c.dates.join(", ") : "-"],
    ["used by", `${c.usedBy} schedule${c.usedBy === 1 ? "" : "s"}`],
    ["version", `${c.version}, changed ${c.updatedAt} by ${c.updatedBy}`],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(13)}${v}`).join("\n") + "\n";
}
