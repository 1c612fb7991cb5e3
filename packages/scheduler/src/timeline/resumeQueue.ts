import type { Schedule } from "@hotbeat/shared";
import { PackedSchedule } from "./packedSchedule.js";
import { Timeline, type TimelineEntry } from "./timeline.js";

/** A paused row waiting in the queue, with its slot there. */
interface PausedEntry extends TimelineEntry {
  row: Schedule;
}

/**
 * The paused schedules that resume by themselves, ordered by their `pausedUntil`: disabled
 * schedules are not in the fire timeline, so their resume instants wait here. Kept by every
 * replica from the same loads and messages as the timeline; only the leader acts on it.
 */
export class ResumeQueue {
  private readonly timeline = new Timeline<PausedEntry>();
  private readonly byName = new Map<string, PausedEntry>();

  get size(): number {
    return this.timeline.size;
  }

  /** Holds `row` when it is paused with a resume instant; forgets `name` otherwise. */
  track(name: string, row: Schedule | undefined): void {
    const resumeAtMs = row && !row.enabled ? (row.pausedUntil?.getTime() ?? Number.NaN) : Number.NaN;
    // A plain copy of a packed row: the resume reads and writes it as any row (see resumePaused).
    if (row && Number.isFinite(resumeAtMs))
      this.hold(row instanceof PackedSchedule ? row.toRow() : row, resumeAtMs);
    else this.forget(name);
  }

  /** Puts a row back at `atMs`, to try its resume again then. */
  retryAt(row: Schedule, atMs: number): void {
    this.hold(row, atMs);
  }

  /** The earliest resume instant held, if any. */
  nextAtMs(): number | undefined {
    return this.timeline.peek()?.dueAtMs;
  }

  /** Takes out and returns every row whose resume instant is at or before `nowMs`, earliest first. */
  takeDue(nowMs: number): Schedule[] {
    const due: Schedule[] = [];
    for (let top = this.timeline.peek(); top && top.dueAtMs <= nowMs; top = this.timeline.peek()) {
      this.forget(top.entry.name);
      due.push(top.entry.row);
    }
    return due;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private hold(row: Schedule, atMs: number): void {
    let entry = this.byName.get(row.name);
    if (entry) entry.row = row;
    else {
      entry = { name: row.name, row, timelineSlot: -1 };
      this.byName.set(row.name, entry);
    }
    this.timeline.upsert(entry, atMs);
  }

  private forget(name: string): void {
    const entry = this.byName.get(name);
    if (!entry) return;
    this.timeline.remove(entry);
    this.byName.delete(name);
  }
}
