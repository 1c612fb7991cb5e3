import { MAX_TIMEOUT_MS, type Clock } from "./clock.js";

export interface WakeTimer {
  /** Wakes at wall-clock instant `atMs` (replacing any earlier arming); `undefined` disarms. */
  arm(atMs: number | undefined): void;
  /** The instant currently armed for, if any. */
  armedAtMs(): number | undefined;
  stop(): void;
}

/**
 * One timer to the earliest instant of the timeline. Every wake re-reads the clock, because a
 * timer may fire early (the delay was clamped, or timers drift), late (a busy event loop, a
 * suspended machine) or the wall clock may have jumped: early → sleep again; otherwise call
 * `onWake`, which fires whatever is due by then. `maxSleepMs` bounds each sleep so that a
 * wall-clock jump forward is noticed within that time; it never exceeds Node's 2^31-1 ms limit.
 */
export function createWakeTimer(options: {
  clock: Clock;
  onWake: () => void;
  maxSleepMs?: number;
}): WakeTimer {
  const { clock, onWake } = options;
  const maxSleepMs = Math.min(options.maxSleepMs ?? MAX_TIMEOUT_MS, MAX_TIMEOUT_MS);
  let handle: unknown;
  let target: number | undefined;

  function clear(): void {
    if (handle !== undefined) clock.clearTimeout(handle);
    handle = undefined;
  }

  function schedule(): void {
    clear();
    if (target === undefined) return;
    const delayMs = Math.max(0, Math.min(target - clock.now(), maxSleepMs));
    handle = clock.setTimeout(wake, delayMs);
  }

  function wake(): void {
    handle = undefined;
    if (target === undefined) return;
    if (clock.now() < target) {
      schedule();
      return;
    }
    target = undefined;
    onWake();
  }

  return {
    arm(atMs) {
      if (atMs === target && handle !== undefined) return;
      target = atMs;
      schedule();
    },
    armedAtMs: () => target,
    stop() {
      target = undefined;
      clear();
    },
  };
}
