/**
 * Gathers the calls made in one turn of the event loop and hands them to `flush` together, once
 * the turn is over (setImmediate). One flush runs at a time: calls made meanwhile wait for it and
 * then go together in the next. Each call's promise settles with its batch: a failed flush
 * rejects every call in it.
 */
export function createBatcher<T>(flush: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let pending: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  let isScheduled = false;
  let isFlushing = false;

  function schedule(): void {
    if (isScheduled || isFlushing || pending.length === 0) return;
    isScheduled = true;
    setImmediate(() => void run());
  }

  async function run(): Promise<void> {
    isScheduled = false;
    isFlushing = true;
    const batch = pending;
    pending = [];
    try {
      await flush(batch.map((call) => call.item));
      for (const call of batch) call.resolve();
    } catch (error) {
      for (const call of batch) call.reject(error);
    } finally {
      isFlushing = false;
      schedule();
    }
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      schedule();
    });
}
