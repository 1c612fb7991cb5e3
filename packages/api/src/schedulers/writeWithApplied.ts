import type { FastifyBaseLogger } from "fastify";
import type { AppliedReport, AppliedTarget, AppliedWaiter, AppliedWatch } from "./appliedWaiter.js";
import { DEFAULT_APPLIED_TIMEOUT_MS, type WriteQuery } from "../contracts/writeOptions.js";

/**
 * Runs one write, and with `?wait=applied` waits for the schedulers to apply what it produced.
 * The watch opens before the write: a scheduler can apply a change within a millisecond of the
 * publish, before the write call has even returned here.
 */
export async function writeWithApplied<T>(
  options: { waiter: AppliedWaiter; query: WriteQuery; log: Pick<FastifyBaseLogger, "warn"> },
  write: () => Promise<{ result: T; targets: AppliedTarget[] }>,
): Promise<{ result: T; applied?: AppliedReport }> {
  if (options.query.wait !== "applied") return { result: (await write()).result };
  let watch: AppliedWatch | undefined;
  try {
    watch = await options.waiter.begin();
  } catch (error) {
    // Redis is down: the write still goes through (the database is the truth), the wait cannot.
    options.log.warn({ err: error }, "cannot watch applied reports; answering without waiting");
  }
  let outcome: { result: T; targets: AppliedTarget[] };
  try {
    outcome = await write();
  } catch (error) {
    watch?.cancel();
    throw error;
  }
  if (!watch) return { result: outcome.result, applied: { complete: false, schedulers: [], pending: [] } };
  try {
    const applied = await watch.wait(outcome.targets, options.query.timeoutMs ?? DEFAULT_APPLIED_TIMEOUT_MS);
    return { result: outcome.result, applied };
  } catch (error) {
    options.log.warn({ err: error }, "cannot read live schedulers; answering without waiting");
    return { result: outcome.result, applied: { complete: false, schedulers: [], pending: [] } };
  }
}
