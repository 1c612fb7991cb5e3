interface Slot<T> {
  name: string;
  dueAtMs: number;
  value: T;
}

/**
 * The in-memory timeline: every held schedule ordered by the instant it is next due. A binary
 * min-heap plus an index from name to heap position, so the earliest is O(1) and placing,
 * moving or removing one schedule is O(log n): a change to one of 100k schedules never touches
 * the others. Ties are broken by name so the order (and so the tests) is deterministic.
 */
export class Timeline<T> {
  private readonly heap: Slot<T>[] = [];
  private readonly positions = new Map<string, number>();

  get size(): number {
    return this.heap.length;
  }

  has(name: string): boolean {
    return this.positions.has(name);
  }

  /** The value and due instant held for `name`, if any. */
  get(name: string): { value: T; dueAtMs: number } | undefined {
    const index = this.positions.get(name);
    if (index === undefined) return undefined;
    const slot = this.heap[index]!;
    return { value: slot.value, dueAtMs: slot.dueAtMs };
  }

  /** The earliest entry, without removing it. */
  peek(): { name: string; value: T; dueAtMs: number } | undefined {
    const top = this.heap[0];
    return top ? { name: top.name, value: top.value, dueAtMs: top.dueAtMs } : undefined;
  }

  /**
   * Places `name` at `dueAtMs`, or moves it there if it is already held. A non-finite instant is
   * refused: NaN compares false with everything, so at the root it would hide every later entry.
   */
  upsert(name: string, dueAtMs: number, value: T): void {
    if (!Number.isFinite(dueAtMs)) throw new RangeError(`${name}: due instant ${dueAtMs} is not finite`);
    const index = this.positions.get(name);
    if (index === undefined) {
      this.heap.push({ name, dueAtMs, value });
      this.positions.set(name, this.heap.length - 1);
      this.siftUp(this.heap.length - 1);
      return;
    }
    const slot = this.heap[index]!;
    const earlier = this.isBefore({ name, dueAtMs, value }, slot);
    slot.dueAtMs = dueAtMs;
    slot.value = value;
    if (earlier) this.siftUp(index);
    else this.siftDown(index);
  }

  /** Removes `name`; returns whether it was held. */
  remove(name: string): boolean {
    const index = this.positions.get(name);
    if (index === undefined) return false;
    const last = this.heap.pop()!;
    this.positions.delete(name);
    if (index < this.heap.length) {
      this.heap[index] = last;
      this.positions.set(last.name, index);
      this.siftUp(index);
      this.siftDown(this.positions.get(last.name)!);
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
    return this.heap.map((slot) => slot.name);
  }

  private isBefore(a: Slot<T>, b: Slot<T>): boolean {
    return a.dueAtMs < b.dueAtMs || (a.dueAtMs === b.dueAtMs && a.name < b.name);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    this.positions.set(b.name, i);
    this.positions.set(a.name, j);
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.isBefore(this.heap[i]!, this.heap[parent]!)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.isBefore(this.heap[left]!, this.heap[smallest]!)) smallest = left;
      if (right < this.heap.length && this.isBefore(this.heap[right]!, this.heap[smallest]!))
        smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
