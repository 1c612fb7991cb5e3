import { CLOCK_BACK, CLOCK_FORWARD } from "./clockFaults.mjs";
import { HOSTILE_ROWS } from "./hostileRows.mjs";
import { SSRF_MATRIX } from "./ssrfMatrix.mjs";
import { CRASH_BEFORE_ENQUEUE, CRASH_BEFORE_MARK, HALF_OPEN, LATENCY } from "./wireFaults.mjs";

// The timelines: each step is a fault (a row of the table) and the quiet time after it, in which
// the deployment must recover and fill the gap. Workers are killed early, because BullMQ only
// hands a dead worker's job to another after its lock and the stalled check (30 s each).

const KILL_LEADER = "kill -9 leader, restart 1 s later";
const STOP_LEADER = "SIGSTOP leader 8 s (lease 5 s), SIGCONT";
const PG = "PostgreSQL immediate stop 10 s";
const REDIS = "Redis SIGKILL (queue lost), back 3 s later";
const SUBSCRIBER = "CLIENT KILL of every scheduler subscriber";
const WORKER = "kill -9 worker mid-task, restart 1 s later";

const step = (fault, gapMs) => ({ fault, gapMs });

const DEFAULT_CYCLE = [
  step(WORKER, 15_000),
  step(SSRF_MATRIX, 3_000),
  // Left in place through the rest of the timeline, read and deleted after it.
  step(HOSTILE_ROWS, 5_000),
  step(KILL_LEADER, 15_000),
  step(CRASH_BEFORE_ENQUEUE, 10_000),
  step(CRASH_BEFORE_MARK, 10_000),
  step(CRASH_BEFORE_ENQUEUE, 10_000),
  step(CRASH_BEFORE_MARK, 12_000),
  step(STOP_LEADER, 15_000),
  step(LATENCY, 12_000),
  step(HALF_OPEN, 20_000),
  // Back first: after the forward step the leader has already fired 30 s ahead, which would hide
  // what a step back does.
  step(CLOCK_BACK, 12_000),
  step(CLOCK_FORWARD, 12_000),
  step(PG, 25_000),
  step(KILL_LEADER, 15_000),
  step(REDIS, 25_000),
  step(SUBSCRIBER, 15_000),
  step(WORKER, 15_000),
];

export const TIERS = {
  short: {
    baselineMs: 8_000,
    // The two crash points are leader kills at exact moments: they take the place of a kill at
    // a random one, to stay within 3 minutes on two busy cores.
    timeline: [
      step(SSRF_MATRIX, 2_000),
      step(WORKER, 8_000),
      step(CRASH_BEFORE_ENQUEUE, 8_000),
      step(CRASH_BEFORE_MARK, 8_000),
      step(PG, 16_000),
      step(REDIS, 15_000),
    ],
    fuzzCount: 1500,
    ssrfRedirectCodes: [301, 307],
    changes: false,
    tailMs: 5_000,
    drainMs: 75_000,
  },
  default: {
    baselineMs: 15_000,
    timeline: DEFAULT_CYCLE,
    fuzzCount: 10_000,
    changes: true,
    tailMs: 10_000,
    drainMs: 120_000,
  },
  long: {
    baselineMs: 30_000,
    // About 3 minutes a cycle with its quiet times: 18 cycles make the hour.
    timeline: Array.from({ length: 18 }, () => DEFAULT_CYCLE).flat(),
    fuzzCount: 10_000,
    changes: true,
    tailMs: 30_000,
    drainMs: 180_000,
  },
};
