import type { Logger } from "@hotbeat/shared";
import { TaskTimeoutError, WorkerShutdownError } from "./taskErrors.js";

/**
 * Calls `invoke` with a signal that aborts after `timeoutMs` or when `shutdownSignal` fires, and
 * settles as soon as either happens, with {@link TaskTimeoutError} or {@link WorkerShutdownError}.
 *
 * JavaScript cannot stop a function that ignores its signal: such a handler keeps running in the
 * background, but the run is no longer waiting for it, and its late outcome is only logged.
 */
export async function runHandler<T>(
  invoke: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; shutdownSignal: AbortSignal; log: Logger },
): Promise<T> {
  const controller = new AbortController();
  const onShutdown = () => controller.abort(new WorkerShutdownError());
  if (options.shutdownSignal.aborted) onShutdown();
  else options.shutdownSignal.addEventListener("abort", onShutdown, { once: true });
  const timer = setTimeout(
    () => controller.abort(new TaskTimeoutError(options.timeoutMs)),
    options.timeoutMs,
  );

  const aborted = new Promise<never>((_, reject) => {
    const fail = () => {
      const reason: unknown = controller.signal.reason;
      reject(reason instanceof Error ? reason : new Error(String(reason)));
    };
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener("abort", fail, { once: true });
  });
  const work = Promise.resolve().then(() => invoke(controller.signal));
  try {
    return await Promise.race([work, aborted]);
  } finally {
    clearTimeout(timer);
    options.shutdownSignal.removeEventListener("abort", onShutdown);
    if (controller.signal.aborted) {
      // The race is decided; keep a late rejection of the abandoned handler from going unhandled.
      work.then(
        () => options.log.warn("task finished after it was abandoned"),
        (error: unknown) => options.log.debug({ err: error }, "abandoned task settled with an error"),
      );
    }
    // Mark the losing `aborted` promise handled too, in case it rejects after `work` won.
    aborted.catch(() => undefined);
    controller.abort(new Error("the run is over"));
  }
}
