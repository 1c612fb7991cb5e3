import type { MisfirePolicy, OverlapPolicy, PauseMode } from "../db/enums.js";
import type { ScheduleAlert } from "./alert.js";
import type { ScheduleRow } from "../db/schema.js";

export {
  CHANGE_SOURCES,
  MISFIRE_POLICIES,
  OVERLAP_POLICIES,
  PAUSE_MODES,
  type ChangeSource,
  type MisfirePolicy,
  type OverlapPolicy,
  type PauseMode,
} from "../db/enums.js";

export const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** run_all never replays more than this many missed fires (README, "Guarantees"). */
export const RUN_ALL_CAP = 100;

/** What fire-time math needs of a schedule: its timing, nothing else. */
export interface ScheduleTiming {
  /** The schedule's name: what a cron `H` is hashed from (absent: hashed from ""). */
  name?: string;
  cron: string | null;
  intervalSeconds: number | null;
  runAt: Date | null;
  timezone: string;
  startAt: Date | null;
  endAt: Date | null;
  /** Interval schedules count from startAt, else from this instant (the last change to the interval). */
  intervalAnchorAt: Date | null;
}

/** A schedule as hotbeat holds it: the row of `schedules`. */
export type Schedule = ScheduleRow;

/** The JSON shape of a schedule in the API. */
export interface ScheduleJson {
  name: string;
  task: string;
  description: string;
  cron: string | null;
  intervalSeconds: number | null;
  runAt: string | null;
  timezone: string;
  payload: unknown;
  enabled: boolean;
  startAt: string | null;
  endAt: string | null;
  misfirePolicy: MisfirePolicy;
  misfireGraceSeconds: number;
  overlapPolicy: OverlapPolicy;
  jitterSeconds: number;
  labels: Record<string, string>;
  exclude: string[];
  calendars: string[];
  pausedUntil: string | null;
  pauseMode: PauseMode;
  alert: ScheduleAlert | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** A raw SQL `-infinity` reaches here as an Invalid Date: shown as null, its health says why. */
const iso = (d: Date | null) => (d && Number.isFinite(d.getTime()) ? d.toISOString() : null);

/** Renders a row as the API's JSON. */
export function toScheduleJson(row: Schedule): ScheduleJson {
  return {
    name: row.name,
    task: row.task,
    description: row.description,
    cron: row.cron,
    intervalSeconds: row.intervalSeconds,
    runAt: iso(row.runAt),
    timezone: row.timezone,
    payload: row.payload,
    enabled: row.enabled,
    startAt: iso(row.startAt),
    endAt: iso(row.endAt),
    misfirePolicy: row.misfirePolicy,
    misfireGraceSeconds: row.misfireGraceSeconds,
    overlapPolicy: row.overlapPolicy,
    jitterSeconds: row.jitterSeconds,
    labels: row.labels ?? {},
    exclude: row.exclude ?? [],
    calendars: row.calendars ?? [],
    pausedUntil: iso(row.pausedUntil),
    pauseMode: row.pauseMode,
    alert: row.alert ?? null,
    version: row.version,
    createdAt: iso(row.createdAt) ?? "",
    updatedAt: iso(row.updatedAt) ?? "",
    updatedBy: row.updatedBy,
  };
}
