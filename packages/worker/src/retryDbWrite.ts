import type { Logger } from "@hotbeat/shared";
import { setTimeout as sleep } from "node:timers/promises";
import { describeThrown } from "./describeThrown.js";
import { findSqlState, isRefusedForContent, LedgerWriteRefusedError } from "./ledgerErrors.js";

/**
 * Runs a write to the run ledger again until it succeeds or `maxElapsedMs` passed, backing off from
 * 100 ms to 5 s. PostgreSQL going away for a moment (failover, restart) must not lose the outcome
 * of a task that already ran, nor crash the worker; postgres.js reconnects by itself in between.
 * A write PostgreSQL refuses for its content fails at once with {@link LedgerWriteRefusedError}:
 * retrying it would only repeat the refusal. `log` is called only when there is something to say.
 */
export async function retryDbWrite<T>(
  write: () => Promise<T>,
  options: { what: string; log: () => Logger; maxElapsedMs: number },
): Promise<T> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (isRefusedForContent(error)) {
        throw new LedgerWriteRefusedError(options.what, findSqlState(error) ?? "unknown", { cause: error });
      }
      const elapsedMs = Date.now() - startedAt;
      if (elapsedMs >= options.maxElapsedMs) {
        throw new Error(`could not ${options.what} for ${elapsedMs} ms: ${describeThrown(error)}`, {
          cause: error,
        });
      }
      const delayMs = Math.min(5000, 100 * 2 ** (attempt - 1), options.maxElapsedMs - elapsedMs);
      options.log().warn({ err: error, attempt, delayMs }, `could not ${options.what}; retrying`);
      await sleep(delayMs);
    }
  }
}
