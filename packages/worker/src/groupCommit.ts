/** Most items one statement carries; a larger backlog is written in several. */
const MAX_BATCH_SIZE = 500;

interface Pending<I, O> {
  key: string;
  item: I;
  resolve(value: O | null): void;
  reject(error: unknown): void;
}

/**
 * Writes issued within one turn of the event loop (or while the previous batch is in flight) go
 * to PostgreSQL as one statement: at a burst of starts, one round trip serves hundreds of runs
 * instead of one each. `writeBatch` answers by key; a key it leaves out resolves to null.
 *
 * When a batch fails, each of its items is written alone, so that one row PostgreSQL refuses fails
 * only its own caller, who sees the same error as without grouping.
 */
export function createGroupCommit<I, O>(
  keyOf: (item: I) => string,
  writeBatch: (items: I[]) => Promise<Map<string, O>>,
): (item: I) => Promise<O | null> {
  let queue: Array<Pending<I, O>> = [];
  let isFlushing = false;

  async function writeAlone(entry: Pending<I, O>): Promise<void> {
    try {
      entry.resolve((await writeBatch([entry.item])).get(entry.key) ?? null);
    } catch (error) {
      entry.reject(error);
    }
  }

  function takeBatch(): Array<Pending<I, O>> {
    // A key appears at most once per statement: a second write of the same run waits for the next.
    const batch: Array<Pending<I, O>> = [];
    const keys = new Set<string>();
    const rest: Array<Pending<I, O>> = [];
    for (const entry of queue) {
      if (batch.length < MAX_BATCH_SIZE && !keys.has(entry.key)) {
        keys.add(entry.key);
        batch.push(entry);
      } else rest.push(entry);
    }
    queue = rest;
    return batch;
  }

  async function flush(): Promise<void> {
    isFlushing = true;
    while (queue.length > 0) {
      const batch = takeBatch();
      try {
        const written = await writeBatch(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve(written.get(entry.key) ?? null);
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else await Promise.all(batch.map(writeAlone));
      }
    }
    isFlushing = false;
  }

  return (item) =>
    new Promise<O | null>((resolve, reject) => {
      queue.push({ key: keyOf(item), item, resolve, reject });
      if (!isFlushing) {
        isFlushing = true;
        setImmediate(() => void flush());
      }
    });
}
