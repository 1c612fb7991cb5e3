import type { Logger } from "@hotbeat/shared";
import { TaskTimeoutError, WorkerShutdownError } from "./taskErrors.js";

/**
 * The reason a run's signal carries once the run is over, for whatever the handler left running.
 * One shared instance: an Error made per run costs a stack trace nobody reads.
 */
const RUN_IS_OVER = new Error("the run is over");

/**
 * Calls `invoke` with a signal that aborts after `timeoutMs` or when `shutdownSignal` fires, and
 * settles as soon as either happens, with {@link TaskTimeoutError} or {@link WorkerShutdownError}.
 *
 * JavaScript cannot stop a function that ignores its signal: such a handler keeps running in the
 * background, but the run is no longer waiting for it, and its late outcome is only logged.
 *
 * This runs once per run, so it keeps to one AbortController, one timer and one listener: the
 * stop settles the race directly rather than through a listener on the run's own signal.
 */
export async function runHandler<T>(
  invoke: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; shutdownSignal: AbortSignal; log: Logger },
): Promise<T> {
  const controller = new AbortController();
  let stop!: (reason: Error) => void;
  const stopped = new Promise<never>((_, reject) => {
    stop = (reason) => {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      reject(reason);
    };
  });
  const onShutdown = () => stop(new WorkerShutdownError());
  const { shutdownSignal, timeoutMs } = options;
  if (shutdownSignal.aborted) onShutdown();
  else shutdownSignal.addEventListener("abort", onShutdown, { once: true });
  const timer = setTimeout(() => stop(new TaskTimeoutError(timeoutMs)), timeoutMs);

  // An async wrapper turns a handler that throws before returning its promise into a rejection.
  const work = (async () => invoke(controller.signal))();
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    shutdownSignal.removeEventListener("abort", onShutdown);
    if (controller.signal.aborted) {
      // The race is decided; keep a late rejection of the abandoned handler from going unhandled.
      work.then(
        () => options.log.warn("task finished after it was abandoned"),
        (error: unknown) => options.log.debug({ err: error }, "abandoned task settled with an error"),
      );
    } else controller.abort(RUN_IS_OVER);
  }
}
