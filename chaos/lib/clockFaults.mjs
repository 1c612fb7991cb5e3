import { sleep, wallNowMs } from "./apiClient.mjs";
import { findLeader } from "./leader.mjs";

// Steps of the leader's wall clock, by libfaketime (scripts/ensure-faketime.sh; see
// deployment.mjs), with no hook in hotbeat: its monotonic clock, which times the lease, stays true.
// What hotbeat promises (README): a clock step does not move leadership, and a jump forward fires
// what became due through the misfire policy. So a leader whose clock runs ahead fires instants
// early, by the true clock; the table counts them in the "early" column, never as a failure.
// Nothing may run twice, and nothing may be lost, in either direction.

export const CLOCK_FORWARD = "leader's wall clock +30 s for 10 s, back";
export const CLOCK_BACK = "leader's wall clock -30 s for 10 s, forward";

const STEP_SECONDS = 30;
const HOLD_MS = 10_000;

async function stepLeaderClock(ctx, seconds) {
  const leader = await findLeader(ctx);
  if (!leader.stepClock) throw new Error("libfaketime is not available (scripts/ensure-faketime.sh)");
  const startMs = wallNowMs();
  leader.stepClock(seconds);
  await sleep(HOLD_MS);
  leader.stepClock(0);
  const after = await findLeader(ctx);
  return {
    startMs,
    endMs: wallNowMs(),
    // For the scoring of edited schedules (ledger.mjs): how far ahead the leader's clock went.
    clockAheadMs: Math.max(0, seconds * 1000),
    detail: `${leader.name}; leader afterwards: ${after.name}${after === leader ? " (unchanged)" : ""}`,
  };
}

export const CLOCK_FAULTS = {
  [CLOCK_FORWARD]: (ctx) => stepLeaderClock(ctx, STEP_SECONDS),
  [CLOCK_BACK]: (ctx) => stepLeaderClock(ctx, -STEP_SECONDS),
};
