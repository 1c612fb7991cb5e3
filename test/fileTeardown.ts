// vitest runs no hook that is registered while another hook or a test runs: an `afterAll` or
// `afterEach` called from a `beforeAll` (where test files create their databases and servers) is
// silently dropped. So the harness's helpers queue their releases here instead, and
// test/fileHooks.ts, a setup file vitest runs before every test file, drains the queues after each
// test and after the file. A module-level hook would not do either: without isolation a module is
// evaluated once per worker process, not once per file.

type Release = () => unknown;
const fileReleases: Release[] = [];
const testCleanups: Release[] = [];
const exitReleases = new Set<() => void>();

/** Queues `release` for the end of the test file; releases run newest first, all of them even if one fails. */
export function releaseAfterFile(release: Release): void {
  fileReleases.push(release);
}

/**
 * Runs `cleanup` after every test of the current file from now on, like an `afterEach`, but
 * callable from a `beforeAll` or a helper.
 */
export function cleanUpAfterEachTest(cleanup: Release): void {
  testCleanups.push(cleanup);
}

/**
 * Registers a synchronous last resort, run when the test process exits without reaching the end
 * of the file (a crash, an uncaught error, a worker stopped on a timeout). Returns its removal.
 */
export function releaseOnExit(release: () => void): () => void {
  exitReleases.add(release);
  return () => exitReleases.delete(release);
}

/** Runs the per-test cleanups of the file (test/fileHooks.ts calls it after each test). */
export async function runTestCleanups(): Promise<void> {
  await runAll([...testCleanups].reverse(), "a test's cleanup failed");
}

/** Runs and forgets the file's releases, newest first (test/fileHooks.ts calls it after the file). */
export async function runFileReleases(): Promise<void> {
  testCleanups.length = 0;
  await runAll(fileReleases.splice(0).reverse(), "a test file's teardown failed");
}

async function runAll(steps: Release[], message: string): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, message);
}

process.once("exit", () => {
  for (const release of exitReleases) {
    try {
      release();
    } catch (error) {
      process.stderr.write(`test teardown at exit failed: ${String(error)}\n`);
    }
  }
});
