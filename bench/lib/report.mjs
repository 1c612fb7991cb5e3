import { median, round } from "./stats.mjs";

const ratio = (a, b) => (a === null || b === null || !b ? null : a / b);
const verdict = (value, target, isMax = true) =>
  value === null || value === undefined
    ? "n/a"
    : (isMax ? value <= target : value >= target)
      ? "met"
      : "MISSED";

function dist(section, measure, d, extra = {}) {
  return {
    section,
    measure,
    unit: "ms",
    n: d?.n ?? 0,
    reps: d?.reps ?? 1,
    p50: d?.p50 ?? null,
    p99: d?.p99 ?? null,
    max: d?.max ?? null,
    value: null,
    ...extra,
  };
}
function scalar(section, measure, value, unit, extra = {}) {
  return {
    section,
    measure,
    unit,
    n: null,
    reps: extra.reps ?? 1,
    p50: null,
    p99: null,
    max: null,
    value,
    ...extra,
  };
}

/** Turns the sections' results into rows (the table and the JSON share them) and ratios. */
export function buildReport({ results, failures = {}, machine, startedAt, finishedAt, options }) {
  const rows = [];
  const ratios = {};
  const m = results.machine;
  if (m) {
    const S = "0 machine";
    rows.push(
      dist(S, "2 ms timer: wake-up lateness", m.timerLateness, { note: "CPU left to this process" }),
      dist(S, "PostgreSQL SELECT 1 round trip", m.postgresSelect1),
      dist(S, "Redis PING round trip", m.redisPing),
    );
  }
  const c = results.changeApplied;
  if (c) {
    const S = "1 change→applied";
    rows.push(
      dist(S, "push, one at a time", c.push.single, {
        target: "p99 ≤ 10 ms",
        verdict: verdict(c.push.single.p99, 10),
      }),
      dist(S, "push, bursts of 100", c.push.burst, {
        target: "p99 ≤ 10 ms",
        verdict: verdict(c.push.burst.p99, 10),
        note: `${c.push.appliedBeforeAnswer} changes (single and bursts) applied before their answer: 0 ms`,
      }),
      dist(S, "push, bursts of 100, from the request sent", c.push.burstFromSent, {
        note: "the API's queueing of the burst included",
      }),
      dist(S, "push off, 5 s poll, one at a time", c.poll5s.single),
      dist(S, "push off, 5 s poll, bursts of 100", c.poll5s.burst),
      scalar(S, "seed: 60 s poll (stated, not run)", 30_000, "ms mean", {
        p50: 30_000,
        max: 60_000,
        note: "uniform wait over a 60 s poll",
      }),
    );
    ratios.pollOverPushP50 = ratio(c.poll5s.single.p50, c.push.single.p50);
    ratios.pollOverPushP99 = ratio(c.poll5s.single.p99, c.push.single.p99);
    ratios.pollOverPushBurstP50 = ratio(c.poll5s.burst.p50, c.push.burst.p50);
    ratios.seedOverPushMean = ratio(30_000, c.push.single.mean);
    // By p99: a change the scheduler applies before the client has its answer counts 0 ms, so the
    // push median can be 0, and a ratio to it says nothing.
    rows.push(
      scalar(S, "headline: 5 s poll ÷ push (p99, one at a time)", ratios.pollOverPushP99, "×", {
        note: `p50: push ${round(c.push.single.p50, 2)} ms, 5 s poll ${round(c.poll5s.single.p50, 0)} ms`,
      }),
    );
  }
  const f = results.fireLateness;
  if (f) {
    const S = "2 fire lateness";
    rows.push(
      dist(S, "hotbeat: due → enqueued", f.hotbeat.enqueued),
      dist(S, "hotbeat: due → picked by worker", f.hotbeat.picked),
      dist(S, "hotbeat: due → task started", f.hotbeat.started, {
        target: "p99 ≤ 20 ms",
        verdict: verdict(f.hotbeat.started.p99, 20),
      }),
      dist(S, "hotbeat, no worker running: due → enqueued", f.schedulerAlone?.enqueued, {
        note: "the scheduler alone",
      }),
      dist(S, "BullMQ job schedulers: due → picked", f.bullmq.picked, {
        note: "upsertJobScheduler, cron pattern + tz, hotbeat's job options; default worker options",
      }),
      dist(S, "BullMQ job schedulers: due → task started", f.bullmq.started, {
        note: "same worker code and concurrency as hotbeat's",
      }),
    );
    if (f.bullmqDelayed)
      rows.push(
        dist(S, "BullMQ delayed jobs: due → picked", f.bullmqDelayed.picked, {
          note: "one queue.add with delay per fire, added ahead; follows no edit",
        }),
        dist(S, "BullMQ delayed jobs: due → task started", f.bullmqDelayed.started, {
          note: "same worker code and concurrency as hotbeat's",
        }),
      );
    ratios.bullmqOverHotbeatStartedP99 = ratio(f.bullmq.started.p99, f.hotbeat.started.p99);
    ratios.bullmqOverHotbeatStartedP50 = ratio(f.bullmq.started.p50, f.hotbeat.started.p50);
    ratios.bullmqDelayedOverHotbeatStartedP99 = ratio(
      f.bullmqDelayed?.started.p99 ?? null,
      f.hotbeat.started.p99,
    );
    rows.push(
      scalar(S, "BullMQ ÷ hotbeat, task started p99", ratios.bullmqOverHotbeatStartedP99, "×", {
        target: "≥ 4×",
        verdict: verdict(ratios.bullmqOverHotbeatStartedP99, 4, false),
        note: `p50 ${round(ratios.bullmqOverHotbeatStartedP50, 1)}×; delayed jobs ÷ hotbeat p99 ${round(ratios.bullmqDelayedOverHotbeatStartedP99, 1)}×`,
      }),
    );
  }
  const s = results.scale;
  if (s) {
    const S = "3 scale";
    // Targets by size: 100k and 1M have them, 10k is shown for the trend.
    const TARGETS = {
      "100k": { loadMs: 1500, stallMs: 100, rssMB: 300, heapBytes: 500, answerP50: 1 },
      "1M": { loadMs: 15_000, stallMs: 100, rssMB: 1024, loadedP50: 1 },
    };
    for (const [label, m] of [
      ["10k", s.tenK],
      ["100k", s.hundredK],
      ["1M", s.million],
    ]) {
      if (!m) continue;
      const t = TARGETS[label] ?? {};
      const target = (value, max, unit) =>
        max === undefined ? {} : { target: `≤ ${max} ${unit}`, verdict: verdict(value, max) };
      rows.push(
        scalar(S, `${label}: load (start() → timeline built)`, m.loadMs, "ms", {
          reps: m.reps,
          ...target(m.loadMs, t.loadMs, "ms"),
          note: [
            m.loadCpuMs !== undefined && `CPU ${round(m.loadCpuMs, 0)} ms`,
            m.seedMs !== undefined && `seeded by SQL in ${round(m.seedMs / 1000, 1)} s`,
          ]
            .filter(Boolean)
            .join(", "),
        }),
        scalar(S, `${label}: start() → leader ready`, m.readyMs, "ms", { reps: m.reps }),
        scalar(S, `${label}: longest event-loop stall, start → ready`, m.maxStallMs, "ms", {
          reps: m.reps,
          ...target(m.maxStallMs, t.stallMs, "ms"),
        }),
        scalar(S, `${label}: scheduler RSS after load`, m.rssMB, "MB", {
          reps: m.reps,
          note: `+${round(m.rssDeltaMB, 0)} MB over the empty process`,
          ...target(m.rssMB, t.rssMB, "MB"),
        }),
        scalar(S, `${label}: heap per schedule`, m.heapPerScheduleBytes, "bytes", {
          reps: m.reps,
          ...target(m.heapPerScheduleBytes, t.heapBytes, "bytes"),
        }),
        dist(S, `${label}: one change, write answer → applied`, m.answerToApplied, {
          ...(t.answerP50 !== undefined && {
            target: `p50 ≤ ${t.answerP50} ms`,
            verdict: verdict(m.answerToApplied.p50, t.answerP50),
          }),
        }),
        dist(S, `${label}: one change, row read → applied (in memory)`, m.loadedToApplied, {
          ...(t.loadedP50 !== undefined && {
            target: `p50 ≤ ${t.loadedP50} ms`,
            verdict: verdict(m.loadedToApplied.p50, t.loadedP50),
          }),
        }),
      );
    }
  }
  const b = results.burst;
  if (b) {
    const S = "6 burst";
    const pick = (list, key) => median(list.map((x) => x[key]));
    const drainMs = pick(b.drains, "allStartedMs");
    const floorMs = pick(b.floors, "allStartedMs");
    const x = b.endToEnd;
    ratios.burstDrainOverFloor = ratio(drainMs, floorMs);
    rows.push(
      scalar(S, "10k due in one second: scheduler, all enqueued", x.allEnqueuedMs, "ms", {
        note: `${x.enqueuedCount} enqueued`,
      }),
      scalar(S, "10k waiting: worker, resume → all started", drainMs, "ms", {
        reps: b.drains.length,
        note: `${Math.min(...b.drains.map((d) => d.startedCount))} started, concurrency ${b.workerConcurrency}; all finished ${round(pick(b.drains, "allFinishedMs"), 0)} ms`,
      }),
      scalar(S, "10k waiting: BullMQ alone, no-op (floor)", floorMs, "ms", {
        reps: b.floors.length,
        note: `no PostgreSQL, concurrency ${b.workerConcurrency}; worker ÷ floor ${round(ratios.burstDrainOverFloor, 1)}×`,
      }),
      scalar(S, "10k due in one second: end to end, all started", x.allStartedMs, "ms", {
        target: "≤ 2000 ms",
        verdict: x.startedCount < x.schedules ? "MISSED" : verdict(x.allStartedMs, 2000),
        note: `${x.startedCount} started; due → started p50 ${round(x.started.p50, 0)} ms`,
      }),
    );
  }
  const a = results.apiThroughput;
  if (a) {
    const S = "4 API throughput";
    rows.push(
      scalar(
        S,
        `PATCH/s sustained (${a.connections} connections, ${a.secondsPerRep} s)`,
        a.requestsPerSecond,
        "req/s",
        {
          reps: a.reps,
          target: "≥ 1000/s",
          verdict: verdict(a.requestsPerSecond, 1000, false),
          note: `${a.non2xx} non-2xx/errors, ${a.historyRowsWritten} history rows`,
        },
      ),
      {
        ...dist(S, "PATCH latency under that load", {
          n: null,
          reps: a.reps,
          p50: a.latencyP50Ms,
          p99: a.latencyP99Ms,
          max: a.latencyMaxMs,
        }),
      },
    );
    if (a.floors) {
      const floorRow = (shape, measure, note) =>
        scalar(S, measure, a.floors[shape], "writes/s", { reps: 2, note });
      rows.push(
        floorRow(
          "fiveStatements",
          "PostgreSQL alone: BEGIN, lock, context, update, COMMIT",
          "the write before",
        ),
        floorRow("readThenWrite", "PostgreSQL alone: read, then one guarded update", "hotbeat's write"),
        floorRow("oneStatement", "PostgreSQL alone: one update, context included", "one round trip"),
      );
      ratios.apiOverWriteFloor = a.fractionOfFloor;
      rows.push(
        scalar(S, "API PATCH/s ÷ PostgreSQL alone (same write)", a.fractionOfFloor, "×", {
          note: `÷ one round trip: ${round(ratio(a.requestsPerSecond, a.floors.oneStatement), 2)}×`,
        }),
      );
    }
  }
  const e = results.endToEnd;
  if (e) {
    const S = "5 end to end";
    rows.push(
      dist(S, "PATCH → task running, lateness vs new instant", e.lateness, {
        note: `${e.ranAtNewInstant}/${e.iterations} ran at the new instant, ${e.ranElsewhere} elsewhere, ${e.notRun} not run`,
      }),
      dist(S, "PATCH sent → task running (instant ≥ 1 s ahead)", e.patchToRunning),
    );
  }
  for (const [name, message] of Object.entries(failures)) {
    rows.push(scalar(name, "FAILED", null, "", { note: message.slice(0, 160) }));
  }
  for (const r of rows) for (const k of ["p50", "p99", "max", "value"]) r[k] = round(r[k], 2);
  for (const k of Object.keys(ratios)) ratios[k] = round(ratios[k], 1);
  return {
    startedAt,
    finishedAt,
    durationSeconds: Math.round((finishedAt - startedAt) / 1000),
    machine,
    options,
    ratios,
    failures,
    rows,
    results,
  };
}

function format(value) {
  if (value === null || value === undefined) return "";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100
    ? Math.round(value).toLocaleString("en-US")
    : abs >= 10
      ? value.toFixed(1)
      : value.toFixed(2);
}

/** The one table, as plain text (also valid Markdown). */
export function renderTable(report) {
  const header = [
    "section",
    "measure",
    "n × reps",
    "p50",
    "p99",
    "max",
    "value",
    "unit",
    "target",
    "verdict",
    "note",
  ];
  const lines = report.rows.map((r) => [
    r.section,
    r.measure,
    r.n === null || r.n === undefined ? `${r.reps ?? 1} reps` : `${r.n} (${r.reps} reps)`,
    format(r.p50),
    format(r.p99),
    format(r.max),
    format(r.value),
    r.unit,
    r.target ?? "",
    r.verdict ?? "",
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) =>
    `| ${cells.map((c, i) => (i >= 3 && i <= 6 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join(" | ")} |`;
  const m = report.machine;
  return [
    `hotbeat bench — ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverageAtStart.join(" ")} at start, ${m.loadAverageAtEnd?.join(" ") ?? "?"} at end; ${report.durationSeconds} s`,
    row(header),
    `|${widths.map((w, i) => (i >= 3 && i <= 6 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`,
    ...lines.map(row),
    "",
  ].join("\n");
}
