import type { Schedule } from "@hotbeat/shared";
import { PackedSchedule } from "./packedSchedule.js";
import { Timeline } from "./timeline.js";

/**
 * The paused schedules that resume by themselves, ordered by their `pausedUntil`: disabled
 * schedules are not in the fire timeline, so their resume instants wait here. Kept by every
 * replica from the same loads and messages as the timeline; only the leader acts on it.
 */
export class ResumeQueue {
  private readonly timeline = new Timeline<Schedule>();

  get size(): number {
    return this.timeline.size;
  }

  /** Holds `row` when it is paused with a resume instant; forgets `name` otherwise. */
  track(name: string, row: Schedule | undefined): void {
    const resumeAtMs = row && !row.enabled ? (row.pausedUntil?.getTime() ?? Number.NaN) : Number.NaN;
    // A plain copy of a packed row: the resume reads and writes it as any row (see resumePaused).
    if (row && Number.isFinite(resumeAtMs))
      this.timeline.upsert(name, resumeAtMs, row instanceof PackedSchedule ? row.toRow() : row);
    else this.timeline.remove(name);
  }

  /** Puts a row back at `atMs`, to try its resume again then. */
  retryAt(row: Schedule, atMs: number): void {
    this.timeline.upsert(row.name, atMs, row);
  }

  /** The earliest resume instant held, if any. */
  nextAtMs(): number | undefined {
    return this.timeline.peek()?.dueAtMs;
  }

  /** Takes out and returns every row whose resume instant is at or before `nowMs`, earliest first. */
  takeDue(nowMs: number): Schedule[] {
    const due: Schedule[] = [];
    for (let top = this.timeline.peek(); top && top.dueAtMs <= nowMs; top = this.timeline.peek()) {
      this.timeline.remove(top.name);
      due.push(top.value);
    }
    return due;
  }

  has(name: string): boolean {
    return this.timeline.has(name);
  }
}
