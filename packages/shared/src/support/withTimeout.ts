/** A promise given to {@link withTimeout} did not settle in time. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/**
 * Settles like `promise`, or rejects with a {@link TimeoutError} after `timeoutMs`. The timer is
 * cleared either way, so a bound never keeps the process alive. `promise` itself is not
 * cancelled: a caller that may see it settle late handles that itself.
 */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`${what}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
