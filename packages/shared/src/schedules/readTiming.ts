import { InvalidSchedule } from "../errors.js";
import { parseCron, type ParsedCron } from "./cron.js";
import type { ScheduleTiming } from "./model.js";
import { checkTimingValues } from "./timingHealth.js";

/** A schedule's timing, checked and parsed: the one kind of fire it has. */
export type ParsedTiming =
  { kind: "cron"; cron: ParsedCron } | { kind: "interval"; stepMs: number } | { kind: "once"; atMs: number };

/** Checks and parses a timing at the entry of every computation; throws {@link InvalidSchedule}. */
export function readTiming(timing: ScheduleTiming): ParsedTiming {
  const kinds = [timing.cron, timing.intervalSeconds, timing.runAt].filter((value) => value !== null);
  if (kinds.length !== 1) {
    throw new InvalidSchedule([
      { field: "cron", message: "exactly one of cron, intervalSeconds and runAt must be set" },
    ]);
  }
  // A raw SQL value (±infinity, an Invalid Date, an interval past 2^53 ms) must never turn into
  // a NaN fire instant: refuse it here, at the entry of every computation.
  const valuesReason = checkTimingValues(timing);
  if (valuesReason) {
    const [field = "timing", ...message] = valuesReason.split(": ");
    throw new InvalidSchedule([{ field, message: message.join(": ") }]);
  }
  if (timing.cron !== null) return { kind: "cron", cron: parseCron(timing.cron, timing.name) };
  if (timing.runAt !== null) return { kind: "once", atMs: timing.runAt.getTime() };
  const seconds = timing.intervalSeconds ?? 0;
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new InvalidSchedule([{ field: "intervalSeconds", message: "must be at least 1" }]);
  }
  return { kind: "interval", stepMs: Math.round(seconds * 1000) };
}
