import {
  MISFIRE_POLICIES,
  OVERLAP_POLICIES,
  checkTiming,
  type Schedule,
  type ScheduleTiming,
} from "@hotbeat/shared";
import type { EarlierTiming } from "../timeline/owedFireTimes.js";

/** One row of `schedule_history`, as much of it as replaying timings needs. */
export interface HistoryChange {
  version: number;
  changedAt: Date;
  /** The whole row before the change (`to_jsonb`, snake_case); null for an insert. */
  oldValue: unknown;
  /** The whole row after it; null for a delete. */
  newValue: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A stored instant (jsonb keeps timestamptz as ISO 8601 text), null, or "bad". */
function readInstant(value: unknown): Date | null | "bad" {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return "bad";
  const at = new Date(value);
  return Number.isFinite(at.getTime()) ? at : "bad";
}

/**
 * The timing a history snapshot of a row fired by: null when it fired nothing (no row, a disabled
 * one, or one whose timing hotbeat could not compute, which was reported as invalid back then),
 * "bad" when the snapshot is not a row of ours.
 */
function readSnapshotTiming(value: unknown): ScheduleTiming | null | "bad" {
  if (value === null || value === undefined) return null;
  if (!isRecord(value)) return "bad";
  if (value.enabled !== true) return null;
  const instants = [value.run_at, value.start_at, value.end_at, value.interval_anchor_at].map(readInstant);
  const [runAt, startAt, endAt, intervalAnchorAt] = instants;
  const { name, cron, interval_seconds: intervalSeconds, timezone } = value;
  if (
    runAt === "bad" ||
    startAt === "bad" ||
    endAt === "bad" ||
    intervalAnchorAt === "bad" ||
    typeof name !== "string" ||
    typeof timezone !== "string" ||
    (cron !== null && typeof cron !== "string") ||
    (intervalSeconds !== null && typeof intervalSeconds !== "number")
  )
    return "bad";
  const timing: ScheduleTiming = {
    name,
    cron,
    intervalSeconds,
    runAt: runAt ?? null,
    timezone,
    startAt: startAt ?? null,
    endAt: endAt ?? null,
    intervalAnchorAt: intervalAnchorAt ?? null,
  };
  return checkTiming(timing) === null ? timing : null;
}

/**
 * The timings the definition at `currentVersion` replaced since a stored cursor, from the history of the changes made
 * after it, oldest first: each definition owns the instants from its change up to just before
 * the next change (the floor a live apply uses: 1 ms before the change). Returns undefined when
 * the history cannot tell: no change recorded after the cursor, a gap in the versions (pruned
 * rows), or a snapshot that is not one of our rows. The caller then judges by the current timing.
 */
export function readEarlierTimings(
  changes: readonly HistoryChange[],
  currentVersion: number,
): EarlierTiming[] | undefined {
  const ordered = changes.filter((c) => c.version <= currentVersion).sort((a, b) => a.version - b.version);
  if (ordered.length === 0 || ordered.at(-1)!.version !== currentVersion) return undefined;
  if (ordered.some((c, i) => i > 0 && c.version !== ordered[i - 1]!.version + 1)) return undefined;
  const spans: EarlierTiming[] = [];
  let inForce = readSnapshotTiming(ordered[0]!.oldValue);
  for (const change of ordered) {
    if (inForce === "bad") return undefined;
    spans.push({ timing: inForce, untilAt: new Date(change.changedAt.getTime() - 1) });
    inForce = readSnapshotTiming(change.newValue);
  }
  return spans;
}

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === "string" && (list as readonly string[]).includes(value);

/**
 * The schedule a history snapshot holds, enabled, as a row the ledger can record runs of (a
 * schedule paused or deleted since still owes what came due before: see replayRetiredSchedules);
 * null when it is not an enabled row of ours.
 */
export function readSnapshotSchedule(value: unknown): Schedule | null {
  const timing = readSnapshotTiming(value);
  if (timing === null || timing === "bad" || !isRecord(value)) return null;
  const { task, description, version, misfire_policy: misfirePolicy, overlap_policy: overlapPolicy } = value;
  const grace = value.misfire_grace_seconds;
  const jitter = value.jitter_seconds;
  const [createdAt, updatedAt] = [value.created_at, value.updated_at].map(readInstant);
  if (
    typeof task !== "string" ||
    typeof version !== "number" ||
    typeof grace !== "number" ||
    typeof jitter !== "number" ||
    !isOneOf(MISFIRE_POLICIES, misfirePolicy) ||
    !isOneOf(OVERLAP_POLICIES, overlapPolicy) ||
    !(createdAt instanceof Date) ||
    !(updatedAt instanceof Date)
  )
    return null;
  return {
    ...timing,
    name: timing.name!,
    task,
    description: typeof description === "string" ? description : "",
    payload: value.payload ?? {},
    enabled: true,
    misfirePolicy,
    misfireGraceSeconds: grace,
    overlapPolicy,
    jitterSeconds: jitter,
    // Only the timing and the policies of a retired version matter to a replay; the rest is
    // read where the snapshot has it, else left empty.
    labels: isRecord(value.labels) ? (value.labels as Record<string, string>) : {},
    exclude: Array.isArray(value.exclude) ? (value.exclude as string[]) : [],
    calendars: Array.isArray(value.calendars) ? (value.calendars as string[]) : [],
    calendarRevision: typeof value.calendar_revision === "number" ? value.calendar_revision : 0,
    pausedUntil: null,
    pauseMode: value.pause_mode === "catch_up" ? "catch_up" : "skip",
    alert: null,
    version,
    createdAt,
    updatedAt,
    updatedBy: typeof value.updated_by === "string" ? value.updated_by : "unknown",
  };
}
