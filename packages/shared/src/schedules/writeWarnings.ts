import { checkStoredSchedule, type StoredSchedule } from "./storedHealth.js";
import { toTiming } from "./validation.js";
import { computeScheduleWarnings } from "./warnings.js";

/** The warnings a write answers with for the row it saved. */
export function computeWriteWarnings(row: StoredSchedule, now: Date): string[] {
  // A row left broken by raw SQL (kept so it can be paused or fixed) has no timing to warn about.
  const health = checkStoredSchedule(row);
  if (health.status === "invalid") return [`the schedule cannot fire until fixed: ${health.reason}`];
  return computeScheduleWarnings(toTiming(row), now);
}
