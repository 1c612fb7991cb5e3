/** The shapes of the hotbeat API this CLI reads. */

// Types only: the CLI talks to the API over HTTP and loads no code of the server's.
export type { ScheduleJson } from "@hotbeat/shared";

export interface FireTimeJson {
  at: string;
  local: string;
  weekday: string;
  dstShift: null | "gap" | "overlap";
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
