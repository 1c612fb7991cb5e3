import type { Redis } from "ioredis";
import type { Logger } from "@hotbeat/shared";
import type { Clock } from "../timeline/clock.js";

// Both scripts check ownership first, so a leader that stalled past its TTL (and was replaced)
// can neither extend nor delete the new leader's lease.
const RENEW_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface LeaseOptions {
  redis: Redis;
  key: string;
  instanceId: string;
  clock: Clock;
  log: Logger;
  /** Called on every change of leadership. */
  onChange: (isLeader: boolean) => void;
  ttlMs?: number;
  renewEveryMs?: number;
  acquireEveryMs?: number;
}

export interface LeaderLease {
  /** Tries once at once, then keeps trying (follower) or renewing (leader) on its own. */
  start(): Promise<void>;
  /** Stops, and releases the lease if held so another replica takes over at once. */
  stop(): Promise<void>;
  /** True while the lease is held and, by this process's monotonic clock, not yet expired. */
  isLeader(): boolean;
}

/**
 * Leader election by a Redis lease: `SET key id NX PX ttl` to acquire, a compare-and-pexpire to
 * renew, a compare-and-delete to release. With the defaults (5 s TTL, renew every 1.5 s, try
 * every 1 s) a replica takes over within about 6 s of a leader's death. The lease only avoids
 * duplicate work: two leaders at once (a stalled process) still record each fire once, because
 * the run's unique key in PostgreSQL is what guarantees it.
 */
export function createLeaderLease(options: LeaseOptions): LeaderLease {
  const { redis, key, instanceId, clock, log } = options;
  const ttlMs = options.ttlMs ?? 5000;
  const renewEveryMs = options.renewEveryMs ?? 1500;
  const acquireEveryMs = options.acquireEveryMs ?? 1000;
  let validUntilMs = 0;
  let held = false;
  let stopped = true;
  let handle: unknown;

  function setHeld(value: boolean): void {
    if (held === value) return;
    held = value;
    log.info({ isLeader: value }, value ? "became leader" : "lost leadership");
    options.onChange(value);
  }

  async function attempt(): Promise<void> {
    // The lease is counted from before the request, so the local view never outlives Redis's,
    // and on the monotonic clock: Redis times the TTL by its own clock, not by our wall clock.
    const sentAtMs = clock.monotonicNow();
    try {
      if (held) {
        const renewed = Number(await redis.eval(RENEW_SCRIPT, 1, key, instanceId, String(ttlMs)));
        if (renewed === 1) validUntilMs = sentAtMs + ttlMs;
        else setHeld(false);
      } else {
        const acquired = await redis.set(key, instanceId, "PX", ttlMs, "NX");
        if (acquired === "OK") {
          validUntilMs = sentAtMs + ttlMs;
          setHeld(true);
        }
      }
    } catch (error) {
      log.warn({ err: error }, "lease request failed; retrying");
    }
    if (held && clock.monotonicNow() >= validUntilMs) setHeld(false);
  }

  function loop(): void {
    if (stopped) return;
    handle = clock.setTimeout(
      () => {
        void attempt().finally(loop);
      },
      held ? renewEveryMs : acquireEveryMs,
    );
  }

  return {
    async start() {
      stopped = false;
      await attempt();
      loop();
    },
    async stop() {
      stopped = true;
      if (handle !== undefined) clock.clearTimeout(handle);
      if (!held) return;
      try {
        await redis.eval(RELEASE_SCRIPT, 1, key, instanceId);
      } catch (error) {
        log.warn({ err: error }, "could not release the lease; it expires by itself");
      }
      setHeld(false);
    },
    isLeader: () => held && clock.monotonicNow() < validUntilMs,
  };
}
