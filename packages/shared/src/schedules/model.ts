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

/**
 * The fields that define a schedule, whatever holds them: `Instant` is a Date in code (the draft
 * the write path stores) and an ISO 8601 string in JSON (the API's answers).
 */
export interface ScheduleDefinition<Instant> {
  name: string;
  task: string;
  description: string;
  cron: string | null;
  intervalSeconds: number | null;
  runAt: Instant | null;
  timezone: string;
  payload: unknown;
  enabled: boolean;
  startAt: Instant | null;
  endAt: Instant | null;
  misfirePolicy: MisfirePolicy;
  misfireGraceSeconds: number;
  overlapPolicy: OverlapPolicy;
  jitterSeconds: number;
  labels: Record<string, string>;
  exclude: string[];
  calendars: string[];
  pausedUntil: Instant | null;
  pauseMode: PauseMode;
  alert: ScheduleAlert | null;
}
