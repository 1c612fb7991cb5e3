import { publishRunUpdates, type Logger, type RunUpdatePublisher } from "@hotbeat/shared";

/** Most run ids one message carries; a larger burst is announced in several. */
const MAX_IDS_PER_MESSAGE = 500;

/**
 * Announces run transitions on the run-updates channel, every transition of one event-loop turn
 * in one message: at a burst of starts and finishes that is one PUBLISH for hundreds of runs
 * instead of one per transition, which Redis, on the same cores, would otherwise pay for. Best
 * effort, like every run update: a message lost is logged at debug and a live view reads the
 * runs again when it reconnects.
 */
export function createRunUpdateAnnouncer(
  publisher: RunUpdatePublisher,
  namespace: string,
  log: Logger,
): (runId: string) => void {
  let pending = new Set<string>();
  const flush = () => {
    const runIds = [...pending];
    pending = new Set();
    for (let i = 0; i < runIds.length; i += MAX_IDS_PER_MESSAGE) {
      const chunk = runIds.slice(i, i + MAX_IDS_PER_MESSAGE);
      void publishRunUpdates(publisher, namespace, chunk).catch((error: unknown) =>
        log.debug({ err: error, runIds: chunk.length }, "run updates not published"),
      );
    }
  };
  return (runId) => {
    if (pending.size === 0) setImmediate(flush);
    pending.add(runId);
  };
}
