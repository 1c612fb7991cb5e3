// When a pause ends, from what the pause dialog offers: in one hour, tomorrow at 00:00 in the
// schedule's zone, at a wall time in that zone, or never by itself (until someone resumes it).

import { fromZonedWallTime, toZonedWallTime } from "./zonedTime.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar day after `YYYY-MM-DD`, as `YYYY-MM-DD`. */
function nextDate(date) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * `pausedUntil` for a choice of the pause dialog, `nowIso` being now: `{ at }` (an ISO instant
 * with the zone's offset, or null for "until I resume"), or `{ error: { field, message } }`.
 * "Tomorrow" is the next midnight on the zone's wall calendar, not the viewer's; a midnight that
 * DST skips is read as the scheduler reads wall times, with the offset before the gap.
 */
export function computePausedUntil(choice, { nowIso, zone, localUntil }) {
  switch (choice) {
    case "hour":
      return { at: new Date(Date.parse(nowIso) + HOUR_MS).toISOString() };
    case "tomorrow": {
      const today = toZonedWallTime(nowIso, zone).slice(0, 10);
      return { at: fromZonedWallTime(`${nextDate(today)}T00:00`, zone) };
    }
    case "date": {
      if (!localUntil) return { error: { field: "pausedUntil", message: "pick a date and time" } };
      const at = fromZonedWallTime(localUntil, zone);
      if (Date.parse(at) <= Date.parse(nowIso))
        return { error: { field: "pausedUntil", message: "must be in the future" } };
      return { at };
    }
    default:
      return { at: null };
  }
}
