import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a test never sees a stale build.
    alias: {
      "@hotbeat/shared": src("shared"),
      "@hotbeat/api": src("api"),
      "@hotbeat/scheduler": src("scheduler"),
      "@hotbeat/worker": src("worker"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    globalSetup: ["./test/globalSetup.ts"],
    setupFiles: ["./test/fileHooks.ts"],
    pool: "forks",
    // One more worker than the two cores: many files spend most of their time waiting on real
    // time (one-second crons, lease TTLs, child processes starting), and a third keeps the CPU
    // busy meanwhile (the suite measured 135-147 s with 3 against 162-210 s with 2).
    maxWorkers: 3,
    // Files share their worker process (and its loaded modules) instead of each starting a fresh
    // one, which cost about a second of imports per file. Each file still gets its own database,
    // namespace and servers, and releases them after itself (test/fileTeardown.ts).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "./test-artifacts/vitest.json" },
  },
});
