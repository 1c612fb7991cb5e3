import type { Clock } from "../src/index.js";

/** A clock whose wall time and timers the test moves by hand; sockets are untouched. */
export class FakeClock implements Clock {
  private timers: Array<{ id: number; atMs: number; delayMs: number; callback: () => void }> = [];
  private armWaiters: Array<{ delayMs: number; resolve: () => void }> = [];
  private nextId = 1;
  /** Every delay ever asked of setTimeout, in order. */
  readonly delays: number[] = [];

  /** Monotonic time: moved by `advance`, never by `jump`. */
  private monotonicMs = 0;

  constructor(private nowMs: number) {}

  now(): number {
    return this.nowMs;
  }
  monotonicNow(): number {
    return this.monotonicMs;
  }
  setTimeout(callback: () => void, delayMs: number): unknown {
    this.delays.push(delayMs);
    const id = this.nextId++;
    this.timers.push({ id, atMs: this.nowMs + delayMs, delayMs, callback });
    const waiting = this.armWaiters.filter((w) => w.delayMs === delayMs);
    this.armWaiters = this.armWaiters.filter((w) => w.delayMs !== delayMs);
    for (const waiter of waiting) waiter.resolve();
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /**
   * Resolves once a timer of this delay is pending (at once if one already is): a loop that
   * re-arms only after its round's I/O resolved is then ready to be advanced.
   */
  timerArmed(delayMs: number): Promise<void> {
    if (this.timers.some((t) => t.delayMs === delayMs)) return Promise.resolve();
    return new Promise((resolve) => this.armWaiters.push({ delayMs, resolve }));
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Moves time forward, running each timer whose moment comes, in order. */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.atMs - b.atMs)[0];
      if (!next || next.atMs > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.monotonicMs += Math.max(0, next.atMs - this.nowMs);
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.callback();
    }
    this.monotonicMs += target - this.nowMs;
    this.nowMs = target;
  }
  /** Changes the wall clock without any timer noticing (NTP step, VM resume). */
  jump(ms: number): void {
    this.nowMs += ms;
    this.timers = this.timers.map((t) => ({ ...t, atMs: t.atMs + ms }));
  }
  /** Runs the next timer now, whatever the time: an early wake. */
  fireNextEarly(): void {
    const next = [...this.timers].sort((a, b) => a.atMs - b.atMs)[0];
    if (!next) throw new Error("no timer pending");
    this.timers = this.timers.filter((t) => t !== next);
    next.callback();
  }
}
