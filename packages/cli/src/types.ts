/** The shapes of the hotbeat API this CLI reads. */

// Types only: the CLI talks to the API over HTTP and loads no code of the server's.
export type { ScheduleJson } from "@hotbeat/shared";

export interface FireTimeJson {
  at: string;
  local: string;
  weekday: string;
  dstShift: null | "gap" | "overlap";
  /** Present when the instant does not fire: the excluded date, or `calendar NAME`. */
  excluded?: string;
  /** Present when the instant was skipped by hand: `skipped by alice`. */
  skipped?: string;
}

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
  op: string;
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
  kind: string;
  scheduledAt: string;
  status: string;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface ImportOutcomeJson {
  name: string;
  action: string;
  version: number;
  warnings: string[];
}
