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

/** Renders a row as the API's JSON: its definition, then what hotbeat maintains. */
export function toScheduleJson(row: Schedule): ScheduleJson {
  const draft = toDraft(row);
  return {
    ...draft,
    runAt: iso(draft.runAt),
    payload: row.payload,
    startAt: iso(draft.startAt),
    endAt: iso(draft.endAt),
    pausedUntil: iso(draft.pausedUntil),
    version: row.version,
    createdAt: iso(row.createdAt) ?? "",
    updatedAt: iso(row.updatedAt) ?? "",
    updatedBy: row.updatedBy,
  };
}
