import { DateTime } from "luxon";
import { findNextCronWallTime, parseCron, type ParsedCron } from "./cron.js";
import { computeNextFireTime } from "./fireTimes.js";
import { findOffsetTransitions, type OffsetTransition } from "./zoneTimeline.js";
import type { ScheduleTiming } from "./model.js";

/** Intervals shorter than this get a warning: probably seconds typed where minutes were meant. */
const SHORT_INTERVAL_SECONDS = 300;
/** How far ahead DST changes are looked for. */
const DST_LOOKAHEAD_MS = 366 * 86_400_000;

/**
 * Human-readable warnings to return beside a successful save: things that are valid but often
 * not what was meant. `now` is where the look-ahead for DST changes starts (one year).
 *
 * @throws InvalidSchedule when the timing itself is invalid (validate first).
 */
export function computeScheduleWarnings(timing: ScheduleTiming, now: Date): string[] {
  const warnings: string[] = [];
  if (timing.cron !== null) {
    const cron = parseCron(timing.cron, timing.name);
    if (hasNumericSunday(cron)) {
      warnings.push("day-of-week 0 is Sunday; Monday is 1");
    }
    if (cron.isDayOfMonthRestricted && cron.isDayOfWeekRestricted) {
      warnings.push(
        `day-of-month (${cron.fields.dayOfMonth}) and day-of-week (${cron.fields.dayOfWeek}) are both restricted, ` +
          "so the schedule fires when either matches (cron OR), not only when both do",
      );
    }
    if (!cron.isWildcardHour) warnings.push(...describeDstChanges(cron, timing.timezone, now));
  }
  if (timing.intervalSeconds !== null && timing.intervalSeconds < SHORT_INTERVAL_SECONDS) {
    warnings.push(
      `intervalSeconds is ${timing.intervalSeconds}: it fires every ${timing.intervalSeconds} seconds, ` +
        `more often than every ${SHORT_INTERVAL_SECONDS / 60} minutes`,
    );
  }
  if (computeNextFireTime(timing, now) === null) {
    warnings.push("the schedule never fires after now");
  }
  return warnings;
}

/** A literal 0 in the day-of-week field, where people often mean Monday. SUN and 7 are deliberate. */
function hasNumericSunday(cron: ParsedCron): boolean {
  if (cron.macro !== null) return false;
  return cron.fields.dayOfWeek
    .split(",")
    .some((item) => (item.split("/")[0] ?? "").split("-").some((value) => /^0+(#\d+|l)?$/i.test(value)));
}

const formatWall = (wallMs: number) => new Date(wallMs).toISOString().slice(11, 16);
const formatDate = (wallMs: number) => new Date(wallMs).toISOString().slice(0, 10);

const DAY_MS = 86_400_000;
/** The DST changes ahead by zone and UTC day (see {@link findChangesAhead}); cleared past a bound. */
const changesByZoneDay = new Map<string, OffsetTransition[]>();
const CHANGES_BY_ZONE_DAY_SIZE = 1000;

/**
 * The offset changes of `timezone` in (now, now + one year]. Every write of a cron schedule asks
 * (about 40 µs, a twentieth of the API's CPU for a write), and within one zone and one UTC day
 * the answer only loses the changes `now` has passed: the changes from that day's midnight to a
 * day past the year are read once and filtered.
 */
function findChangesAhead(timezone: string, now: Date): OffsetTransition[] {
  const dayMs = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const key = `${timezone}\u0000${dayMs}`;
  let changes = changesByZoneDay.get(key);
  if (changes === undefined) {
    changes = findOffsetTransitions(timezone, new Date(dayMs), new Date(dayMs + DAY_MS + DST_LOOKAHEAD_MS));
    if (changesByZoneDay.size >= CHANGES_BY_ZONE_DAY_SIZE) changesByZoneDay.clear();
    changesByZoneDay.set(key, changes);
  }
  const fromMs = now.getTime();
  const untilMs = fromMs + DST_LOOKAHEAD_MS;
  return changes.filter(({ at }) => at.getTime() > fromMs && at.getTime() <= untilMs);
}

/** One warning per DST change in the next year that moves or merges a fixed-time run. */
function describeDstChanges(cron: ParsedCron, timezone: string, now: Date): string[] {
  return findChangesAhead(timezone, now).flatMap((transition) => {
    const warning = describeDstChange(cron, timezone, transition);
    return warning === null ? [] : [warning];
  });
}

function describeDstChange(cron: ParsedCron, timezone: string, transition: OffsetTransition): string | null {
  const atMs = transition.at.getTime();
  const beforeMs = transition.offsetBeforeMinutes * 60_000;
  const afterMs = transition.offsetAfterMinutes * 60_000;
  // Wall times from the earlier to the later reading of the change instant are the ones affected:
  // skipped when clocks go forward, repeated when they go back.
  const lowWallMs = atMs + Math.min(beforeMs, afterMs);
  const highWallMs = atMs + Math.max(beforeMs, afterMs);
  const walls: number[] = [];
  for (let wall = findNextCronWallTime(cron, lowWallMs, highWallMs); wall !== null;) {
    walls.push(wall);
    wall = findNextCronWallTime(cron, wall + 1000, highWallMs);
  }
  const first = walls[0];
  const last = walls[walls.length - 1];
  if (first === undefined || last === undefined) return null;
  const clocks = `on ${formatDate(first)} clocks in ${timezone}`;
  // Both readings use the offset before the change: RFC 5545 for a gap, the first copy for an overlap.
  const firstFireAt = new Date(first - beforeMs).toISOString();
  const times =
    walls.length === 1
      ? formatWall(first)
      : `${walls.length} run times from ${formatWall(first)} to ${formatWall(last)}`;
  if (afterMs > beforeMs) {
    const shift = formatDuration(afterMs - beforeMs);
    const jump = `${clocks} jump from ${formatWall(lowWallMs)} to ${formatWall(highWallMs)}`;
    return walls.length === 1
      ? `${jump}, so ${times} does not exist that day: it fires ${shift} later, at ${formatWall(first + afterMs - beforeMs)} (${firstFireAt})`
      : `${jump}, so ${times} do not exist that day: each fires ${shift} later, the first at ${formatWall(first + afterMs - beforeMs)} (${firstFireAt})`;
  }
  const fallBack = `${clocks} go back from ${formatWall(highWallMs)} to ${formatWall(lowWallMs)}`;
  const local = DateTime.fromMillis(first - beforeMs, { zone: timezone }).toFormat("HH:mm ZZ");
  return walls.length === 1
    ? `${fallBack}, so ${times} occurs twice: it fires once, at the first (${local}, ${firstFireAt})`
    : `${fallBack}, so ${times} occur twice: each fires once, at its first occurrence (the first at ${local}, ${firstFireAt})`;
}

/** "1 h", "30 min", "1 h 30 min". */
function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const parts = [hours > 0 ? `${hours} h` : "", minutes % 60 > 0 ? `${minutes % 60} min` : ""];
  return parts.filter((part) => part !== "").join(" ");
}
