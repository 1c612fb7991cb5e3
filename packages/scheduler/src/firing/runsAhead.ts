import type { RunRow } from "@hotbeat/shared";

/** A fire recorded ahead of its instant: `run` is unset while its INSERT is in flight. */
export interface RunAhead {
  name: string;
  atMs: number;
  run?: RunRow;
}

const keyOf = (name: string, atMs: number) => `${name}\u0000${atMs}`;

/**
 * The leader's runs recorded ahead of their instants (see recordFiresAhead), by schedule and
 * nominal instant. Whoever takes an entry out decides its row's fate: the fire uses or deletes it,
 * the reconcile deletes it, so no two of them act on one row.
 */
export class RunsAhead {
  private readonly byKey = new Map<string, RunAhead>();
  private readonly deleting = new Set<Promise<unknown>>();

  get size(): number {
    return this.byKey.size;
  }
  has(name: string, atMs: number): boolean {
    return this.byKey.has(keyOf(name, atMs));
  }
  /** Claims an instant about to be recorded; false when it is already held. */
  reserve(name: string, atMs: number): boolean {
    const key = keyOf(name, atMs);
    if (this.byKey.has(key)) return false;
    this.byKey.set(key, { name, atMs });
    return true;
  }
  /** Gives a reserved instant its row; false when it was taken meanwhile (fired, or dropped). */
  settle(name: string, atMs: number, run: RunRow): boolean {
    const entry = this.byKey.get(keyOf(name, atMs));
    if (!entry || entry.run) return false;
    entry.run = run;
    return true;
  }
  /** Holds a row found recorded ahead (by a predecessor that stopped). */
  adopt(run: RunRow): void {
    const atMs = run.scheduledAt.getTime();
    this.byKey.set(keyOf(run.scheduleName, atMs), { name: run.scheduleName, atMs, run });
  }
  /** Takes the entry of an instant out, recorded or in flight. */
  take(name: string, atMs: number): RunAhead | undefined {
    const key = keyOf(name, atMs);
    const entry = this.byKey.get(key);
    this.byKey.delete(key);
    return entry;
  }
  /** The entries whose row is recorded. */
  recorded(): RunAhead[] {
    return [...this.byKey.values()].filter((entry) => entry.run !== undefined);
  }
  /**
   * Runs a deletion of rows taken out of here. A fire waits for those in flight before it records
   * (see {@link untilDeleted}): a row being deleted must not be found by its INSERT and enqueued.
   */
  track<T>(deletion: Promise<T>): Promise<T> {
    const settled = Promise.allSettled([deletion]);
    this.deleting.add(settled);
    void settled.then(() => this.deleting.delete(settled));
    return deletion;
  }
  /** Resolves once no deletion is in flight (at once, mostly). */
  async untilDeleted(): Promise<void> {
    if (this.deleting.size > 0) await Promise.all([...this.deleting]);
  }
  /** Forgets everything (leadership lost: the rows stay, for the next leader to judge). */
  clear(): void {
    this.byKey.clear();
  }
}
