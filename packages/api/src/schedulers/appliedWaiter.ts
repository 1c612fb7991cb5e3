import {
  leaderLeaseKey,
  parseJsonWith,
  scheduleAppliedChannel,
  withTimeout,
  scheduleAppliedMessageSchema,
  type Logger,
  type ScheduleAppliedMessage,
} from "@hotbeat/shared";
import type { Redis } from "ioredis";
import { readLiveSchedulers } from "./readLiveSchedulers.js";

/** A schedule version a write produced, which every live scheduler should apply. */
export interface AppliedTarget {
  name: string;
  version: number;
}

/** What `?wait=applied` adds to a write's answer. */
export interface AppliedReport {
  complete: boolean;
  schedulers: Array<{ instanceId: string; appliedAt: string; latencyMs: number | null }>;
  /** Live schedulers that had not applied the change when the wait ended. */
  pending: string[];
}

/** One write's watch: opened before the write, so no report can slip in between. */
export interface AppliedWatch {
  wait(targets: AppliedTarget[], timeoutMs: number): Promise<AppliedReport>;
  cancel(): void;
}

export interface AppliedWaiter {
  /** Opens a watch; rejects when the subscription is not ready within a second. */
  begin(): Promise<AppliedWatch>;
  close(): Promise<void>;
}

/** How long a Redis call on the request's path (subscribe, reading the live set) may take. */
const REDIS_ANSWER_TIMEOUT_MS = 1000;

// With Redis gone, ioredis queues commands until it reconnects, so every Redis call on a
// request's path needs a bound of its own.

type Reports = Map<string, Map<string, ScheduleAppliedMessage>>;

/**
 * Read-your-writes for the API. One subscriber connection serves every request: a subscribed
 * Redis connection cannot run other commands, and one per request would exhaust connections.
 * Watches buffer every report from the moment they open, and the live set is read after the
 * write, so a scheduler that applies faster than we read the live set is still counted.
 */
export function createAppliedWaiter(deps: {
  redis: Redis;
  createSubscriber: () => Redis;
  namespace: string;
  log: Logger;
}): AppliedWaiter {
  const channel = scheduleAppliedChannel(deps.namespace);
  const watches = new Set<(message: ScheduleAppliedMessage) => void>();
  let subscriber: Redis | undefined;
  let subscribed: Promise<void> | undefined;

  function ensureSubscribed(): Promise<void> {
    if (subscribed) return subscribed;
    const connection = deps.createSubscriber();
    subscriber = connection;
    connection.on("error", (error: unknown) => deps.log.warn({ err: error }, "applied-subscriber error"));
    connection.on("message", (from: string, raw: string) => {
      if (from !== channel) return;
      const message = parseJsonWith(scheduleAppliedMessageSchema, raw);
      if (message) for (const listener of watches) listener(message);
    });
    // ioredis resubscribes by itself after a reconnect, so this is done once per app.
    subscribed = connection.subscribe(channel).then(
      () => undefined,
      (error: unknown) => {
        // The next request opens a new connection; this one must not linger, reconnecting.
        subscribed = undefined;
        if (subscriber === connection) subscriber = undefined;
        connection.disconnect();
        throw new Error("cannot subscribe to the applied channel", { cause: error });
      },
    );
    return subscribed;
  }

  async function begin(): Promise<AppliedWatch> {
    // A subscription still pending after the timeout stays in `subscribed` for the next request.
    await withTimeout(ensureSubscribed(), REDIS_ANSWER_TIMEOUT_MS, "subscribing to the applied channel");
    const reports: Reports = new Map();
    let onChange: (() => void) | undefined;
    const listener = (message: ScheduleAppliedMessage) => {
      const byName = reports.get(message.instanceId) ?? new Map<string, ScheduleAppliedMessage>();
      const held = byName.get(message.name);
      if (!held || held.version < message.version) byName.set(message.name, message);
      reports.set(message.instanceId, byName);
      onChange?.();
    };
    watches.add(listener);
    const cancel = () => watches.delete(listener);

    async function wait(targets: AppliedTarget[], timeoutMs: number): Promise<AppliedReport> {
      try {
        if (targets.length === 0) return { complete: true, schedulers: [], pending: [] };
        const [live, leaderId] = await withTimeout(
          Promise.all([
            readLiveSchedulers(deps.redis, deps.namespace, deps.log),
            deps.redis.get(leaderLeaseKey(deps.namespace)),
          ]),
          REDIS_ANSWER_TIMEOUT_MS,
          "reading the live schedulers",
        );
        for (const status of live) {
          // The self-report also names the last change applied: it covers a report published
          // before this watch opened (possible only for a change that raced this one).
          if (status.lastApplied) listener({ instanceId: status.instanceId, ...status.lastApplied });
        }
        const liveIds = live.map((s) => s.instanceId);
        // The leader is the one that fires: it is waited for even when its self-report is
        // missing (Redis came back empty and it has not written it again yet), or a follower
        // alone could confirm a change the leader has not seen.
        if (leaderId !== null && !liveIds.includes(leaderId)) liveIds.push(leaderId);
        const summarize = () => summarizeReports(reports, liveIds, targets);
        if (summarize().complete) return summarize();
        return await new Promise<AppliedReport>((resolve) => {
          const timer = setTimeout(() => resolve(summarize()), timeoutMs);
          onChange = () => {
            if (!summarize().complete) return;
            clearTimeout(timer);
            resolve(summarize());
          };
        });
      } finally {
        cancel();
      }
    }
    return { wait, cancel };
  }

  function close(): Promise<void> {
    watches.clear();
    subscriber?.disconnect();
    return Promise.resolve();
  }

  return { begin, close };
}

function summarizeReports(reports: Reports, liveIds: string[], targets: AppliedTarget[]): AppliedReport {
  const schedulers: AppliedReport["schedulers"] = [];
  const pending: string[] = [];
  for (const instanceId of liveIds) {
    const byName = reports.get(instanceId);
    const applied = targets
      .map((t) => byName?.get(t.name))
      .filter((m, i) => m && m.version >= targets[i]!.version);
    if (applied.length < targets.length) {
      pending.push(instanceId);
      continue;
    }
    const latest = applied.reduce((a, b) => (a!.appliedAt >= b!.appliedAt ? a : b))!;
    const latencies = applied.map((m) => m!.latencyMs).filter((ms): ms is number => ms !== null);
    schedulers.push({
      instanceId,
      appliedAt: latest.appliedAt,
      latencyMs: latencies.length ? Math.max(...latencies) : null,
    });
  }
  return { complete: pending.length === 0, schedulers, pending };
}
