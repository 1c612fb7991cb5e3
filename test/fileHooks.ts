import { afterAll, afterEach } from "vitest";
import { runFileReleases, runTestCleanups } from "./fileTeardown.js";

// A setup file (vitest.config.ts): vitest runs it before every test file, also when files share a
// worker process, so each file gets these two hooks and releases what it made (test/fileTeardown.ts).
afterEach(runTestCleanups);
afterAll(runFileReleases);
