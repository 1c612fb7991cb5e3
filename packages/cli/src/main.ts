#!/usr/bin/env node
import { main } from "./run.js";

// The bin: the only place that reads the real argv, environment and streams.
process.exitCode = await main(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
