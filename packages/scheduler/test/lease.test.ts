import { afterAll, describe, expect, it } from "vitest";
import { createLeaderLease } from "../src/index.js";
import { createTestRedis, testLogger, uniqueId } from "../../../test/helpers.js";
import { FakeClock } from "./fakeClock.js";

const HOUR_MS = 3_600_000;
const redis = createTestRedis();
afterAll(() => redis.quit());

/** A lease on real Redis whose renewals never come during the test, on a clock the test moves. */
async function acquireLease(clock: FakeClock) {
  const key = uniqueId("lease");
  const lease = createLeaderLease({
    redis,
    key,
    instanceId: "me",
    clock,
    log: testLogger(),
    onChange: () => undefined,
    ttlMs: 5000,
    renewEveryMs: 60_000,
    acquireEveryMs: 60_000,
  });
  await lease.start();
  expect(lease.isLeader()).toBe(true);
  return { lease, key };
}

describe("the leader lease", () => {
  it("stays held across a forward wall-clock step while Redis still holds it", async () => {
    const clock = new FakeClock(Date.parse("2030-01-01T00:00:00Z"));
    const { lease, key } = await acquireLease(clock);
    clock.jump(HOUR_MS);
    expect(await redis.get(key)).toBe("me");
    expect(lease.isLeader()).toBe(true);
    await lease.stop();
  });

  it("is not stretched past its TTL by a backward wall-clock step", async () => {
    const clock = new FakeClock(Date.parse("2030-01-01T00:00:00Z"));
    const { lease } = await acquireLease(clock);
    clock.jump(-HOUR_MS);
    clock.advance(5000);
    expect(lease.isLeader()).toBe(false);
    await lease.stop();
  });
});
