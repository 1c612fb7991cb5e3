import type { Schedule, ScheduleDefinition } from "./model.js";
import { toDraft } from "./validation.js";

/** The JSON shape of a schedule in the API. */
export interface ScheduleJson extends ScheduleDefinition<string> {
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** A raw SQL `-infinity` reaches here as an Invalid Date: shown as null, its health says why. */
const iso = (d: Date | null) => (d && Number.isFinite(d.getTime()) ? d.toISOString() : null);

/**
 * A raw SQL edit can store a label that is not a string, or an excluded date or a calendar name
 * that is not one: shown without it, as the API's answers only hold strings there; its health
 * names the field.
 */
const onlyStrings = (list: unknown): string[] =>
  Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [];
const onlyStringLabels = (labels: unknown): Record<string, string> =>
  labels !== null && typeof labels === "object" && !Array.isArray(labels)
    ? Object.fromEntries(Object.entries(labels).filter(([, value]) => typeof value === "string"))
    : {};

/** Renders a row as the API's JSON: its definition, then what hotbeat maintains. */
export function toScheduleJson(row: Schedule): ScheduleJson {
  const draft = toDraft(row);
  return {
    ...draft,
    runAt: iso(draft.runAt),
    payload: row.payload,
    labels: onlyStringLabels(draft.labels),
    exclude: onlyStrings(draft.exclude),
    calendars: onlyStrings(draft.calendars),
    startAt: iso(draft.startAt),
    endAt: iso(draft.endAt),
    pausedUntil: iso(draft.pausedUntil),
    version: row.version,
    createdAt: iso(row.createdAt) ?? "",
    updatedAt: iso(row.updatedAt) ?? "",
    updatedBy: row.updatedBy,
  };
}
