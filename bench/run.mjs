import { writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { createBenchEnvironment, createBenchLogger, progress } from "./lib/environment.mjs";
import { buildReport } from "./lib/report.mjs";
import { renderTable } from "./lib/table.mjs";
import { benchApiThroughput } from "./sections/apiThroughput.mjs";
import { benchBurst } from "./sections/burst.mjs";
import { benchChangeApplied } from "./sections/changeApplied.mjs";
import { benchEndToEnd } from "./sections/endToEnd.mjs";
import { benchFireLateness } from "./sections/fireLateness.mjs";
import { benchMachine } from "./sections/machine.mjs";
import { benchScale } from "./sections/scale.mjs";

/**
 * `npm run bench`: hotbeat's benchmarks against real PostgreSQL and Redis on this machine, in a
 * fresh database and Redis namespace of their own. Progress on stderr, one table on stdout, the
 * same figures in bench/results.json. Targets are reported beside the figures, never asserted.
 * BENCH_ONLY=1,3 runs only those sections (for working on one).
 */
const only = new Set((process.env.BENCH_ONLY ?? "0,1,2,3,4,5,6").split(",").map((s) => s.trim()));
const OPTIONS = {
  pushReps: 3,
  pollReps: 1,
  scaleReps: 3,
  throughputReps: 3,
  throughputSeconds: 4,
  endToEndCount: 100,
};

async function main() {
  const startedAt = new Date();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map((v) => Number(v.toFixed(2))),
  };
  progress(
    `machine: ${machine.cpus} cores (${machine.cpuModel}), load average ${machine.loadAverageAtStart.join(" ")}`,
  );
  const env = await createBenchEnvironment();
  progress(
    `database ${env.databaseName}, Redis namespace ${env.namespace}, hotbeat's warnings in ${env.logPath}`,
  );
  const log = createBenchLogger(env.logPath);
  const results = {};
  const failures = {};
  // Section 3 runs last: it leaves 100k schedules behind, which every later scheduler would load.
  const sections = [
    ["0", "machine", () => benchMachine(env)],
    ["1", "changeApplied", () => benchChangeApplied(env, log, OPTIONS)],
    ["2", "fireLateness", () => benchFireLateness(env, log, OPTIONS)],
    ["4", "apiThroughput", () => benchApiThroughput(env, log, OPTIONS)],
    ["5", "endToEnd", () => benchEndToEnd(env, log, OPTIONS)],
    // Before section 3: it removes its own schedules when done, and section 3's load figures
    // must not include them.
    ["6", "burst", () => benchBurst(env, log, OPTIONS)],
    ["3", "scale", () => benchScale(env, log, OPTIONS)],
  ];
  try {
    for (const [key, name, run] of sections) {
      if (!only.has(key)) continue;
      try {
        results[name] = await run();
      } catch (error) {
        // One broken section must not hide the others' figures; the exit code still says so.
        failures[name] = String(error?.message ?? error);
        progress(`section ${key} (${name}) failed: ${error?.stack ?? error}`);
      }
    }
  } finally {
    progress("dropping the benchmark database and Redis keys");
    await env.dispose().catch((error) => progress(`cleanup failed: ${error.message}`));
  }
  machine.loadAverageAtEnd = loadavg().map((v) => Number(v.toFixed(2)));
  const report = buildReport({
    results,
    failures,
    machine,
    startedAt,
    finishedAt: new Date(),
    options: OPTIONS,
  });
  process.stdout.write(renderTable(report));
  await writeFile(new URL("./results.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
  progress(`done in ${report.durationSeconds} s; the same figures in bench/results.json`);
  if (Object.keys(failures).length > 0)
    throw new Error(`sections failed: ${Object.keys(failures).join(", ")}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
