/**
 * What the timeline holds: a named value that carries its own slot in the heap (-1 when it is
 * not held). A value is in at most one timeline.
 */
export interface TimelineEntry {
  readonly name: string;
  timelineSlot: number;
}

/**
 * The in-memory timeline: every held schedule ordered by the instant it is next due. A binary
 * min-heap whose entries carry their own position, so the earliest is O(1) and placing, moving
 * or removing one schedule is O(log n): a change to one of 100k schedules never touches the
 * others. Ties are broken by name so the order (and so the tests) is deterministic.
 *
 * The position lives on the entry rather than in a map from name to slot: at a million
 * schedules such a map is one more object per schedule, and V8 grows a Map by rehashing every
 * entry in one go: at 524,288 entries that alone held the event loop some 70 ms, in the same
 * turn as the growth of the map of the schedules themselves. The heap is two parallel arrays
 * (instants, entries) rather than an object per slot, for the same reason.
 */
export class Timeline<T extends TimelineEntry> {
  private readonly dueAts: number[] = [];
  private readonly entries: T[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** True when `entry` itself (not merely one of the same name) is held. */
  has(entry: T): boolean {
    const slot = entry.timelineSlot;
    return slot >= 0 && slot < this.entries.length && this.entries[slot] === entry;
  }

  /** The instant `entry` is held at, if it is held. */
  dueAtOf(entry: T): number | undefined {
    return this.has(entry) ? this.dueAts[entry.timelineSlot] : undefined;
  }

  /** The earliest entry, without removing it. */
  peek(): { entry: T; dueAtMs: number } | undefined {
    if (this.entries.length === 0) return undefined;
    return { entry: this.entries[0]!, dueAtMs: this.dueAts[0]! };
  }

  /**
   * Places `entry` at `dueAtMs`, or moves it there if it is already held. A non-finite instant
   * is refused: NaN compares false with everything, so at the root it would hide every later
   * entry.
   */
  upsert(entry: T, dueAtMs: number): void {
    if (!Number.isFinite(dueAtMs))
      throw new RangeError(`${entry.name}: due instant ${dueAtMs} is not finite`);
    if (!this.has(entry)) {
      const last = this.entries.length;
      this.entries.push(entry);
      this.dueAts.push(dueAtMs);
      entry.timelineSlot = last;
      this.siftUp(last);
      return;
    }
    const slot = entry.timelineSlot;
    const isEarlier = this.isBefore(dueAtMs, entry.name, slot);
    this.dueAts[slot] = dueAtMs;
    if (isEarlier) this.siftUp(slot);
    else this.siftDown(slot);
  }

  /** Removes `entry`; returns whether it was held. */
  remove(entry: T): boolean {
    if (!this.has(entry)) return false;
    const slot = entry.timelineSlot;
    const last = this.entries.pop()!;
    const lastDueAtMs = this.dueAts.pop()!;
    entry.timelineSlot = -1;
    if (slot < this.entries.length) {
      this.entries[slot] = last;
      this.dueAts[slot] = lastDueAtMs;
      last.timelineSlot = slot;
      this.siftUp(slot);
      this.siftDown(last.timelineSlot);
    }
    return true;
  }

  /** Removes and returns the earliest entry. */
  pop(): { entry: T; dueAtMs: number } | undefined {
    const top = this.peek();
    if (top) this.remove(top.entry);
    return top;
  }

  /** Every held entry (in heap order, not time order). */
  values(): T[] {
    return [...this.entries];
  }

  /** True when (dueAtMs, name) comes before the slot `slot`. */
  private isBefore(dueAtMs: number, name: string, slot: number): boolean {
    const other = this.dueAts[slot]!;
    return dueAtMs < other || (dueAtMs === other && name < this.entries[slot]!.name);
  }

  private isSlotBefore(i: number, j: number): boolean {
    return this.isBefore(this.dueAts[i]!, this.entries[i]!.name, j);
  }

  private swap(i: number, j: number): void {
    const { entries, dueAts } = this;
    const entry = entries[i]!;
    const dueAtMs = dueAts[i]!;
    entries[i] = entries[j]!;
    dueAts[i] = dueAts[j]!;
    entries[j] = entry;
    dueAts[j] = dueAtMs;
    entries[i].timelineSlot = i;
    entry.timelineSlot = j;
  }

  private siftUp(slot: number): void {
    let i = slot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.isSlotBefore(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(slot: number): void {
    const size = this.entries.length;
    let i = slot;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < size && this.isSlotBefore(left, smallest)) smallest = left;
      if (right < size && this.isSlotBefore(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
