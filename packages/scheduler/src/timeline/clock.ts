/** The scheduler's only access to time, so tests can drive it. Fake only this, never sockets. */
export interface Clock {
  /** Wall-clock time in ms since the epoch: for fire instants, which are wall-clock facts. */
  now(): number;
  /**
   * Monotonic ms from an arbitrary origin: for durations such as the lease's validity, which a
   * wall-clock step (NTP, a VM resume, an operator) must neither shorten nor stretch.
   */
  monotonicNow(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. Timers are unref'd: a pending wake-up never keeps a stopping process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNow: () => performance.now(),
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Node's setTimeout fires at once for any delay above 2^31-1 ms (about 24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Runs `task` every `intervalMs` on `clock`, each round starting after the previous one ended
 * (a slow round never piles up). A failing round is reported to `onError`; the loop goes on.
 * With `phaseMs`, rounds start on the clock's instants that are `phaseMs` past a multiple of
 * `intervalMs` (the next one after the previous round ended), not `intervalMs` after it.
 */
export function startLoop(
  clock: Clock,
  intervalMs: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
  phaseMs?: number,
): () => void {
  let stopped = false;
  let handle: unknown;
  const delay = () => {
    if (phaseMs === undefined) return intervalMs;
    const sincePhase = (((clock.now() - phaseMs) % intervalMs) + intervalMs) % intervalMs;
    return intervalMs - sincePhase;
  };
  const next = () => {
    if (stopped) return;
    handle = clock.setTimeout(() => {
      task().catch(onError).finally(next);
    }, delay());
  };
  next();
  return () => {
    stopped = true;
    if (handle !== undefined) clock.clearTimeout(handle);
  };
}
