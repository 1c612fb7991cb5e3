import type { Logger } from "@hotbeat/shared";
import { startLoop, type Clock } from "./timeline/clock.js";

/** The scheduler's periodic work beside its wake timer, each at its own interval. */
export interface SchedulerLoops {
  clock: Clock;
  log: Logger;
  /** The fallback poll, then (leader only) the self-check. */
  poll: { everyMs: number; run: () => Promise<void> };
  /** This replica's status in Redis, which the API's `GET /api/v1/scheduler` reads. */
  report: { everyMs: number; run: () => Promise<void> };
  /** The sweep of recorded runs never queued (leader only). */
  sweep: { everyMs: number; run: () => Promise<void> };
  /** The fires of the next seconds recorded ahead (leader only), at `phaseMs` in each interval. */
  recordAhead: { everyMs: number; phaseMs: number; run: () => Promise<void> };
}

/**
 * Starts every loop; a failed round is logged and the loop goes on (one bad round never stops
 * the scheduler). Returns the functions that stop them.
 */
export function startSchedulerLoops(loops: SchedulerLoops): Array<() => void> {
  const { clock, log } = loops;
  const onError = (what: string) => (error: unknown) => log.warn({ err: error }, `${what} failed`);
  return [
    startLoop(clock, loops.poll.everyMs, loops.poll.run, onError("poll")),
    startLoop(clock, loops.report.everyMs, loops.report.run, onError("status report")),
    startLoop(clock, loops.sweep.everyMs, loops.sweep.run, onError("sweep")),
    startLoop(
      clock,
      loops.recordAhead.everyMs,
      loops.recordAhead.run,
      onError("record ahead"),
      loops.recordAhead.phaseMs,
    ),
  ];
}
