/**
 * The in-memory timeline: every held schedule ordered by the instant it is next due. A binary
 * min-heap plus an index from name to heap position, so the earliest is O(1) and placing,
 * moving or removing one schedule is O(log n): a change to one of 100k schedules never touches
 * the others. Ties are broken by name so the order (and so the tests) is deterministic. The heap
 * is three parallel arrays rather than an object per slot: at a million schedules a slot object
 * and its boxed instant would cost more than everything else the timeline holds.
 */
export class Timeline<T> {
  private readonly slotNames: string[] = [];
  private readonly dueAts: number[] = [];
  private readonly values: T[] = [];
  private readonly positions = new Map<string, number>();

  get size(): number {
    return this.slotNames.length;
  }

  has(name: string): boolean {
    return this.positions.has(name);
  }

  /** The value and due instant held for `name`, if any. */
  get(name: string): { value: T; dueAtMs: number } | undefined {
    const index = this.positions.get(name);
    if (index === undefined) return undefined;
    return { value: this.values[index]!, dueAtMs: this.dueAts[index]! };
  }

  /** The earliest entry, without removing it. */
  peek(): { name: string; value: T; dueAtMs: number } | undefined {
    if (this.slotNames.length === 0) return undefined;
    return { name: this.slotNames[0]!, value: this.values[0]!, dueAtMs: this.dueAts[0]! };
  }

  /**
   * Places `name` at `dueAtMs`, or moves it there if it is already held. A non-finite instant is
   * refused: NaN compares false with everything, so at the root it would hide every later entry.
   */
  upsert(name: string, dueAtMs: number, value: T): void {
    if (!Number.isFinite(dueAtMs)) throw new RangeError(`${name}: due instant ${dueAtMs} is not finite`);
    const index = this.positions.get(name);
    if (index === undefined) {
      const last = this.slotNames.length;
      this.slotNames.push(name);
      this.dueAts.push(dueAtMs);
      this.values.push(value);
      this.positions.set(name, last);
      this.siftUp(last);
      return;
    }
    const isEarlier = this.isBefore(dueAtMs, name, index);
    this.dueAts[index] = dueAtMs;
    this.values[index] = value;
    if (isEarlier) this.siftUp(index);
    else this.siftDown(index);
  }

  /** Removes `name`; returns whether it was held. */
  remove(name: string): boolean {
    const index = this.positions.get(name);
    if (index === undefined) return false;
    const lastName = this.slotNames.pop()!;
    const lastDueAtMs = this.dueAts.pop()!;
    const lastValue = this.values.pop()!;
    this.positions.delete(name);
    if (index < this.slotNames.length) {
      this.slotNames[index] = lastName;
      this.dueAts[index] = lastDueAtMs;
      this.values[index] = lastValue;
      this.positions.set(lastName, index);
      this.siftUp(index);
      this.siftDown(this.positions.get(lastName)!);
    }
    return true;
  }

  /** Removes and returns the earliest entry. */
  pop(): { name: string; value: T; dueAtMs: number } | undefined {
    const top = this.peek();
    if (top) this.remove(top.name);
    return top;
  }

  /** Every held name (in heap order, not time order). */
  names(): string[] {
    return [...this.slotNames];
  }

  /** True when (dueAtMs, name) comes before the slot at `index`. */
  private isBefore(dueAtMs: number, name: string, index: number): boolean {
    const other = this.dueAts[index]!;
    return dueAtMs < other || (dueAtMs === other && name < this.slotNames[index]!);
  }

  private isSlotBefore(i: number, j: number): boolean {
    return this.isBefore(this.dueAts[i]!, this.slotNames[i]!, j);
  }

  private swap(i: number, j: number): void {
    const { slotNames: names, dueAts, values } = this;
    const name = names[i]!;
    const dueAtMs = dueAts[i]!;
    const value = values[i]!;
    names[i] = names[j]!;
    dueAts[i] = dueAts[j]!;
    values[i] = values[j]!;
    names[j] = name;
    dueAts[j] = dueAtMs;
    values[j] = value;
    this.positions.set(names[i], i);
    this.positions.set(name, j);
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.isSlotBefore(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const size = this.slotNames.length;
    let i = index;
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
