/** The shapes of the hotbeat API this CLI reads (SPEC §3, §4). */

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
  misfirePolicy: string;
  misfireGraceSeconds: number;
  overlapPolicy: string;
  jitterSeconds: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

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
