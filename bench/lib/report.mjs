import { median, round } from "./stats.mjs";
import { dist, ratio, scalar, verdict } from "./rows.mjs";
import { scaleRows } from "./reportScale.mjs";

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
    ratios.pollOverPushBurstP50 = ratio(c.poll5s.burst.p50, c.push.burst.p50);
    ratios.seedOverPushMean = ratio(30_000, c.push.single.mean);
    // A change applied before the client has its answer counts 0 ms from the answer, so the push
    // figures from the answer can be 0 and a ratio to them says nothing: the headline counts the
    // push from the request sent (the write's own time included), the poll from the answer.
    ratios.pollOverPushFromSentP50 = ratio(c.poll5s.single.p50, c.push.singleFromSent?.p50 ?? null);
    rows.push(
      dist(S, "push, one at a time, from the request sent", c.push.singleFromSent, {
        note: "the write itself included",
      }),
      scalar(S, "headline: 5 s poll ÷ push (p50, one at a time)", ratios.pollOverPushFromSentP50, "×", {
        note: `push from the request sent, ${round(c.push.singleFromSent?.p50 ?? null, 2)} ms; 5 s poll ${round(c.poll5s.single.p50, 0)} ms`,
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
    if (f.floor) {
      const note = `BullMQ alone: addBulk at the instant, no-op, concurrency ${f.floor.concurrency} over ${f.floor.loops} fetch loops, no PostgreSQL`;
      ratios.hotbeatOverFloorStartedP99 = ratio(f.hotbeat.started.p99, f.floor.started.p99);
      ratios.hotbeatOverFloorStartedP50 = ratio(f.hotbeat.started.p50, f.floor.started.p50);
      ratios.hotbeatOverFloorEnqueuedP99 = ratio(f.schedulerAlone?.enqueued.p99 ?? null, f.floor.added.p99);
      rows.push(
        dist(S, "floor: due → added to BullMQ", f.floor.added, { note }),
        dist(S, "floor: due → task started", f.floor.started, { note }),
        scalar(S, "hotbeat ÷ floor, task started p99", ratios.hotbeatOverFloorStartedP99, "×", {
          note: `p50 ${round(ratios.hotbeatOverFloorStartedP50, 1)}×; scheduler alone, enqueued p99 ${round(ratios.hotbeatOverFloorEnqueuedP99, 1)}× the add`,
        }),
      );
    }
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
  if (results.scale) rows.push(...scaleRows(results.scale));
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
    if (b.endToEndFloor) {
      ratios.burstEndToEndOverFloor = ratio(x.allStartedMs, b.endToEndFloor.allStartedMs);
      rows.push(
        scalar(S, "10k added at once: BullMQ alone, no-op (floor)", b.endToEndFloor.allStartedMs, "ms", {
          note: `added by the thousand while the workers run, no PostgreSQL; end to end ÷ floor ${round(ratios.burstEndToEndOverFloor, 1)}×`,
        }),
      );
    }
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
