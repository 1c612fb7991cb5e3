import { afterAll } from "vitest";

// vitest runs no hook that is registered while another hook runs: an `afterAll` called from a
// `beforeAll` (where test files create their databases and servers) is silently dropped. So the
// harness registers one `afterAll` when this module is imported, which happens while the file is
// collected, and every resource created later queues its own release here.

type Release = () => unknown;
const releases: Release[] = [];
const exitReleases = new Set<() => void>();

/** Queues `release` for the end of the test file; releases run newest first, all of them even if one fails. */
export function releaseAfterFile(release: Release): void {
  releases.push(release);
}

/**
 * Registers a synchronous last resort, run when the test process exits without reaching the end
 * of the file (a crash, an uncaught error, a worker stopped on a timeout). Returns its removal.
 */
export function releaseOnExit(release: () => void): () => void {
  exitReleases.add(release);
  return () => exitReleases.delete(release);
}

afterAll(async () => {
  const failures: unknown[] = [];
  while (releases.length > 0) {
    const release = releases.pop()!;
    try {
      await release();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, "a test file's teardown failed");
});

process.once("exit", () => {
  for (const release of exitReleases) {
    try {
      release();
    } catch (error) {
      process.stderr.write(`test teardown at exit failed: ${String(error)}\n`);
    }
  }
});
