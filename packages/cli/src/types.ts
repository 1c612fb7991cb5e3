/** The shapes of the hotbeat API this CLI reads. */

// Types only: the CLI talks to the API over HTTP and loads no code of the server's.
import type {
  FireTimeDescription,
  HistoryOp,
  RunKind,
  RunStatus,
  ScheduleHealth,
  ScheduleJson,
} from "@hotbeat/shared";

export type { ScheduleHealth };

/** A schedule as the API answers it: its fields, its health and the schedule in words. */
export type ScheduleAnswerJson = ScheduleJson & { health: ScheduleHealth; summary: string };

/** A schedule in the list: with its next fire (null when paused or never again). */
export type ListedScheduleJson = ScheduleAnswerJson & { nextFireAt: string | null };

/**
 * One upcoming fire, as a preview lists it; `excluded` (the date, or `calendar NAME`) or
 * `skipped` (`skipped by alice`) when it will not fire.
 */
export type FireTimeJson = FireTimeDescription & { excluded?: string; skipped?: string };

/** The answer of `POST /api/v1/schedules/:name/skip`. */
export interface SkipAnswerJson {
  skipped: { schedule: string; at: string; reason: string };
}

/** The answer of `POST /api/v1/schedules/:name/backfill`. */
export interface BackfillAnswerJson {
  schedule: string;
  from: string;
  to: string;
  dryRun: boolean;
  count: number;
  created: number;
  reopened: number;
  existing: number;
  excluded: number;
  instants: Array<{ at: string; outcome: string; status?: string; excluded?: string }>;
}

export interface HistoryEntryJson {
  version: number;
  op: HistoryOp;
  actor: string;
  source: string;
  note: string | null;
  changedAt: string;
  oldValue: Record<string, unknown> | null;
  newValue: Record<string, unknown> | null;
}

export interface RunJson {
  id: string;
  schedule: string;
  task: string;
  kind: RunKind;
  scheduledAt: string;
  status: RunStatus;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface ImportOutcomeJson {
  name: string;
  action: "create" | "update" | "unchanged";
  version: number;
  warnings: string[];
}
