/** Most items one statement carries; a larger backlog is written in several. */
const MAX_BATCH_SIZE = 500;

/**
 * Statements of one group commit in flight at once. One at a time, the claims of the runs picked
 * while a claim was in flight waited for it to return before their own went out: the task of a
 * run picked a millisecond late started a whole round trip later.
 */
export const MAX_BATCHES_IN_FLIGHT = 4;

interface Pending<I, O> {
  key: string;
  item: I;
  resolve(value: O | null): void;
  reject(error: unknown): void;
}

/**
 * Writes issued within one turn of the event loop go to PostgreSQL as one statement: at a burst
 * of starts, one round trip serves hundreds of runs instead of one each. Up to
 * {@link MAX_BATCHES_IN_FLIGHT} statements are in flight at once; past that, writes wait and go
 * together in the next. A key is never in two statements at once: a second write of the same key
 * waits until the first has returned. `writeBatch` answers by key; a key it leaves out resolves
 * to null.
 *
 * When a batch fails, each of its items is written alone, so that one row PostgreSQL refuses fails
 * only its own caller, who sees the same error as without grouping.
 */
export function createGroupCommit<I, O>(
  keyOf: (item: I) => string,
  writeBatch: (items: I[]) => Promise<Map<string, O>>,
): (item: I) => Promise<O | null> {
  let queue: Array<Pending<I, O>> = [];
  const keysInFlight = new Set<string>();
  let inFlight = 0;
  let isScheduled = false;

  async function writeAlone(entry: Pending<I, O>): Promise<void> {
    try {
      entry.resolve((await writeBatch([entry.item])).get(entry.key) ?? null);
    } catch (error) {
      entry.reject(error);
    }
  }

  function takeBatch(): Array<Pending<I, O>> {
    const batch: Array<Pending<I, O>> = [];
    const rest: Array<Pending<I, O>> = [];
    for (const entry of queue) {
      if (batch.length < MAX_BATCH_SIZE && !keysInFlight.has(entry.key)) {
        keysInFlight.add(entry.key);
        batch.push(entry);
      } else rest.push(entry);
    }
    queue = rest;
    return batch;
  }

  function schedule(): void {
    if (isScheduled || inFlight >= MAX_BATCHES_IN_FLIGHT || queue.length === 0) return;
    isScheduled = true;
    setImmediate(() => {
      isScheduled = false;
      const batch = takeBatch();
      // Every waiting key is in flight: the batch that returns first schedules them.
      if (batch.length > 0) void write(batch);
    });
  }

  async function write(batch: Array<Pending<I, O>>): Promise<void> {
    inFlight += 1;
    // The writes queued meanwhile may go out beside this one.
    schedule();
    try {
      const written = await writeBatch(batch.map((entry) => entry.item));
      for (const entry of batch) entry.resolve(written.get(entry.key) ?? null);
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else await Promise.all(batch.map(writeAlone));
    } finally {
      for (const entry of batch) keysInFlight.delete(entry.key);
      inFlight -= 1;
      schedule();
    }
  }

  return (item) =>
    new Promise<O | null>((resolve, reject) => {
      queue.push({ key: keyOf(item), item, resolve, reject });
      schedule();
    });
}
