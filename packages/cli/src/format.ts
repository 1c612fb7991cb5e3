import { formatLabels, LIST_LABELS_WIDTH } from "./formatLabels.js";
import type { ApiErrorDetail } from "./errors.js";
import type {
  FireTimeJson,
  HistoryEntryJson,
  ImportOutcomeJson,
  RunJson,
  ScheduleAnswerJson,
  ScheduleHealth,
} from "./types.js";

/** Lays rows out in columns under a header, two spaces apart, without trailing blanks. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** An instant as wall time in a zone: "2026-05-04 09:15". */
export function formatInZone(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** "2026-05-04T09:15:00.000+07:00" → "2026-05-04 09:15 +07:00". */
export function formatLocal(local: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(local);
  if (!match) return local;
  return `${match[1]} ${match[2]}${match[3] ? ` ${match[3] === "Z" ? "+00:00" : match[3]}` : ""}`;
}

const DST_NOTES = {
  gap: "moved: the wall time does not exist that day (DST)",
  overlap: "first of two: the hour repeats that day (DST)",
};

/** Why an instant of the list does not fire: "excluded (vn-public-holidays)", "skipped by alice". */
function describePassedOver(f: FireTimeJson): string | null {
  if (f.skipped !== undefined) return f.skipped;
  if (f.excluded === undefined) return null;
  return f.excluded.startsWith("calendar ")
    ? `excluded (${f.excluded.slice("calendar ".length)})`
    : "excluded";
}

/**
 * The next runs, one line each, weekday first, in the schedule's zone, DST moves marked, and the
 * instants that will not fire (excluded, skipped) marked as such.
 */
export function formatFireTimes(fireTimes: FireTimeJson[], timezone: string): string {
  if (fireTimes.length === 0) return `No upcoming runs.\n`;
  const lines = fireTimes.map((f) => {
    const passedOver = describePassedOver(f);
    const notes = [passedOver, f.dstShift ? DST_NOTES[f.dstShift] : null];
    const note = notes.some(Boolean) ? `  ← ${notes.filter(Boolean).join("; ")}` : "";
    return `  ${f.weekday.slice(0, 3).padEnd(3)} ${formatLocal(f.local)}  (${f.at.replace(/\.000Z$/, "Z")})${note}`;
  });
  return `Next runs (${timezone}):\n${lines.join("\n")}\n`;
}

export function formatWarnings(warnings: string[]): string {
  return warnings.map((w) => `warning: ${w}\n`).join("");
}

/** The refusal of the API with the field details, for stderr. */
export function formatRefusal(message: string, details: ApiErrorDetail[]): string {
  const extra = details
    .filter((d) => !message.includes(d.message))
    .map((d) => `  ${d.field ? `${d.field}: ` : ""}${d.message}\n`)
    .join("");
  return `error: ${message}\n${extra}`;
}

/**
 * Whether hotbeat can fire the stored row, as the server judged it: "ok", or "invalid: " and the
 * first problem (a raw SQL edit can leave a row it cannot fire).
 */
export function formatHealth(health: ScheduleHealth): string {
  return health.status === "ok" ? "ok" : `invalid: ${health.reason ?? "unknown problem"}`;
}

export function formatScheduleList(schedules: ScheduleAnswerJson[]): string {
  if (schedules.length === 0) return "No schedules.\n";
  return formatTable(
    ["NAME", "ENABLED", "TASK", "WHEN", "VERSION", "LABELS", "HEALTH"],
    schedules.map((s) => [
      s.name,
      s.enabled ? "yes" : "no",
      s.task,
      s.summary,
      String(s.version),
      formatLabels(s.labels, LIST_LABELS_WIDTH),
      formatHealth(s.health),
    ]),
  );
}

export function formatSchedule(s: ScheduleAnswerJson): string {
  const rows: [string, string][] = [
    ["name", s.name],
    ["task", s.task],
    ["when", s.summary],
    ["cron", s.cron ?? "-"],
    ["interval", s.intervalSeconds === null ? "-" : `${s.intervalSeconds} s`],
    ["run at", s.runAt ?? "-"],
    ["time zone", s.timezone],
    ["enabled", s.enabled ? "yes" : "no"],
    ["description", s.description || "-"],
    ["payload", JSON.stringify(s.payload)],
    ["window", s.startAt || s.endAt ? `${s.startAt ?? "…"} → ${s.endAt ?? "…"}` : "-"],
    ["misfire", `${s.misfirePolicy} (grace ${s.misfireGraceSeconds} s)`],
    ["overlap", s.overlapPolicy],
    ["jitter", `${s.jitterSeconds} s`],
    ["labels", formatLabels(s.labels)],
    ["exclude", s.exclude?.length ? s.exclude.join(", ") : "-"],
    ["calendars", s.calendars?.length ? s.calendars.join(", ") : "-"],
    ["pause", describePause(s)],
    ["alert", describeAlert(s.alert)],
    ["version", `${s.version}, changed ${s.updatedAt} by ${s.updatedBy}`],
    ["health", formatHealth(s.health)],
    // The first problem is the reason above; any others follow, one a line.
    ...s.health.problems.slice(1).map((p): [string, string] => ["", `${p.field}: ${p.message}`]),
  ];
  return rows.map(([k, v]) => `${(k === "" ? "" : `${k}:`).padEnd(13)}${v}`).join("\n") + "\n";
}

/** How a paused schedule comes back, and what happens to the fires it skips meanwhile. */
function describePause(s: ScheduleAnswerJson): string {
  if (s.enabled) return "-";
  const fires =
    s.pauseMode === "catch_up" ? "then the misfire policy takes the missed fires" : "fires meanwhile skipped";
  return s.pausedUntil ? `until ${s.pausedUntil}, ${fires}` : "until enabled";
}

function describeAlert(alert: ScheduleAnswerJson["alert"]): string {
  if (!alert) return "-";
  const target = "url" in alert ? alert.url : `task ${alert.task}`;
  return `${target}, after ${alert.afterFailures} failed runs in a row`;
}

/** The fields that differ between two stored values of a schedule, as "field: old → new". */
export function describeChange(
  oldValue: Record<string, unknown> | null,
  newValue: Record<string, unknown> | null,
): string {
  if (!oldValue) return "created";
  if (!newValue) return "deleted";
  const ignored = new Set([
    "version",
    "updatedAt",
    "updated_at",
    "updatedBy",
    "updated_by",
    "createdAt",
    "created_at",
    "intervalAnchorAt",
    "interval_anchor_at",
  ]);
  const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])].filter(
    (k) => !ignored.has(k),
  );
  const changes = keys
    .filter((k) => JSON.stringify(oldValue[k]) !== JSON.stringify(newValue[k]))
    .map((k) => `${k}: ${show(oldValue[k])} → ${show(newValue[k])}`);
  return changes.join("; ") || "no visible change";
}

const show = (value: unknown) =>
  value === null || value === undefined ? "-" : typeof value === "string" ? value : JSON.stringify(value);

export function formatHistory(entries: HistoryEntryJson[]): string {
  if (entries.length === 0) return "No history.\n";
  return formatTable(
    ["VERSION", "WHEN", "WHO", "VIA", "CHANGE"],
    entries.map((e) => [
      String(e.version),
      e.changedAt.replace(/\.\d+Z$/, "Z"),
      e.actor,
      e.source,
      describeChange(e.oldValue, e.newValue) + (e.note ? ` (note: ${e.note})` : ""),
    ]),
  );
}

export function formatRuns(runs: RunJson[]): string {
  if (runs.length === 0) return "No runs.\n";
  return formatTable(
    ["SCHEDULED FOR", "SCHEDULE", "KIND", "STATUS", "ATTEMPT", "FINISHED", "ERROR"],
    runs.map((r) => [
      r.scheduledAt.replace(/\.\d+Z$/, "Z"),
      r.schedule,
      r.kind,
      r.status,
      String(r.attempt),
      r.finishedAt?.replace(/\.\d+Z$/, "Z") ?? "-",
      r.error ? (r.error.split("\n")[0] ?? "") : "",
    ]),
  );
}

export function formatImportOutcomes(outcomes: ImportOutcomeJson[], isDryRun: boolean): string {
  const header = isDryRun ? "Dry run, nothing changed. Would apply:\n" : "Imported:\n";
  const rows = outcomes.map(
    (o) => `  ${o.action.padEnd(9)} ${o.name}${o.action === "unchanged" ? "" : ` (version ${o.version})`}\n`,
  );
  return (
    header + rows.join("") + formatWarnings(outcomes.flatMap((o) => o.warnings.map((w) => `${o.name}: ${w}`)))
  );
}
