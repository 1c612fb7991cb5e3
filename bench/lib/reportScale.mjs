import { round } from "./stats.mjs";
import { dist, ratio, scalar, verdict } from "./rows.mjs";

/** Section 3's rows: load, memory and one change at 10k, 100k and 1M schedules. */
export function scaleRows(s) {
  const rows = [];
  const S = "3 scale";
  // Targets by size: 100k and 1M have them, 10k is shown for the trend.
  const TARGETS = {
    "100k": { loadMs: 1500, stallMs: 100, rssMB: 300, heapBytes: 500, answerP50: 1 },
    "1M": { loadMs: 15_000, stallMs: 100, rssMB: 1024, loadedP50: 1 },
  };
  const sizes = [
    ["10k", s.tenK],
    ["100k", s.hundredK],
    ["1M", s.million],
  ];
  for (const [index, [label, m]] of sizes.entries()) {
    if (!m) continue;
    const [smallerLabel, smaller] = sizes[index - 1] ?? [];
    const marginalBytes =
      smaller?.heapDeltaBytes !== undefined && m.heapDeltaBytes !== undefined
        ? (m.heapDeltaBytes - smaller.heapDeltaBytes) / (m.schedules - smaller.schedules)
        : null;
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
      scalar(S, `${label}: floor, the driver alone paging the rows`, m.readFloorMs ?? null, "ms", {
        note: `load ÷ floor ${round(ratio(m.loadMs, m.readFloorMs ?? null), 1)}×`,
      }),
      scalar(S, `${label}: start() → leader ready`, m.readyMs, "ms", { reps: m.reps }),
      scalar(S, `${label}: longest event-loop stall, start → ready`, m.maxStallMs, "ms", {
        reps: m.reps,
        ...(m.longestGcPauseMs !== undefined && {
          note: `longest garbage-collection pause ${round(m.longestGcPauseMs, 0)} ms`,
        }),
        ...target(m.maxStallMs, t.stallMs, "ms"),
      }),
      ...(m.pollStallMs === null || m.pollStallMs === undefined
        ? []
        : [
            scalar(S, `${label}: longest event-loop stall, one poll and self-check`, m.pollStallMs, "ms", {
              reps: m.reps,
              note: `every enabled row's version compared; longest garbage-collection pause ${round(m.pollGcPauseMs, 0)} ms`,
              ...target(m.pollStallMs, t.stallMs, "ms"),
            }),
          ]),
      scalar(S, `${label}: scheduler RSS after load`, m.rssMB, "MB", {
        reps: m.reps,
        note: `+${round(m.rssDeltaMB, 0)} MB over the empty process`,
        ...target(m.rssMB, t.rssMB, "MB"),
      }),
      scalar(S, `${label}: heap growth ÷ schedules`, m.heapPerScheduleBytes, "bytes", {
        reps: m.reps,
        note: "the process's connections and caches included",
      }),
      // What one more schedule costs: the growth between this size and the one before, whose
      // process holds the same connections and caches.
      ...(marginalBytes === null
        ? []
        : [
            scalar(
              S,
              `${label}: heap per schedule (marginal, from ${smallerLabel})`,
              marginalBytes,
              "bytes",
              {
                reps: m.reps,
                ...target(marginalBytes, t.heapBytes, "bytes"),
              },
            ),
          ]),
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
  return rows;
}
