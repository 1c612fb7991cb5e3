import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import { leaderLeaseKey } from "@hotbeat/shared";
import { createResumeWriter } from "./firing/resumeWriter.js";
import { systemClock } from "./timeline/clock.js";
import { startSchedulerLoops } from "./schedulerLoops.js";
import { createDueFirer } from "./firing/dueFirer.js";
import { createFireCoalescer } from "./firing/fireCoalescer.js";
import { HeldSchedules } from "./timeline/heldSchedules.js";
import { createChangeWrites } from "./firing/changeWrites.js";
import { ResumeQueue } from "./timeline/resumeQueue.js";
import { resumePaused } from "./firing/resumePaused.js";
import { createLeaderLease } from "./cluster/leaderLease.js";
import { createCommandConnection } from "./cluster/commandConnection.js";
import { takeOverLead } from "./cluster/takeOverLead.js";
import { createAheadRecorder, RECORD_AHEAD_LOOP } from "./firing/recordFiresAhead.js";
import { RunsAhead } from "./firing/runsAhead.js";
import { SchedulerMetrics } from "./schedulerMetrics.js";
import { createScheduleSync } from "./sync/scheduleSync.js";
import { createSelfCheck } from "./timeline/checkTimeline.js";
import { createSelfReport } from "./cluster/selfReport.js";
import { createSweepRound } from "./firing/sweepRunsIntoQueue.js";
import { createUpdateSubscriber } from "./sync/updateSubscriber.js";
import { createWakeTimer } from "./timeline/wakeTimer.js";
import type { SchedulerEventEmitter, SchedulerEvents } from "./schedulerEvents.js";
import type { Scheduler, SchedulerDeps } from "./schedulerDeps.js";

export type { Scheduler, SchedulerDeps } from "./schedulerDeps.js";

/** Builds a scheduler from its dependencies; nothing happens before `start()`. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const clock = deps.clock ?? systemClock;
  const instanceId = deps.instanceId ?? randomUUID();
  const log = deps.log.child({ component: "scheduler", instanceId });
  const db = deps.database.db;
  const events: SchedulerEventEmitter = new EventEmitter<SchedulerEvents>();
  const metrics = new SchedulerMetrics();
  const held = new HeldSchedules(log, {
    onInvalid(name, reason) {
      metrics.schedulesInvalid = held.invalid.size;
      events.emit("invalid", { name, reason });
    },
    // Stored at once by the leader, so one taking over after this never judges the old
    // definition's span by the new one, nor replays up to a pause (see restoreCursors).
    onTimingChanged: (entry) => writes.storeCursor(entry.name, entry.cursorAt),
    onRetired(name, changeAt, pending) {
      writes.storeCursor(name, changeAt);
      if (pending) writes.recordPendingUnfired(pending);
    },
  });
  const ahead = new RunsAhead();
  const coalescer = createFireCoalescer({ db, queue: deps.queue, log, clock, metrics, events, ahead });
  const subscriberName = `${deps.namespace}-scheduler-sub-${instanceId}`;
  const redis = createCommandConnection(deps.redisUrl, `${deps.namespace}-scheduler-${instanceId}`, log);
  let isLeaderReady = false;
  let isStopping = false;
  let stopping: Promise<void> | undefined;
  const stopLoops: Array<() => void> = [];

  const firer = createDueFirer({
    ...{ log, clock, metrics, events, held, coalescer },
    isFiring: () => isFiring(),
    isTakingOver: () => !isLeaderReady && lease.isLeader() && !isStopping,
    rearm,
  });
  /** Work beside the plans (pauses being ended, a replay on taking over), awaited on stop too. */
  const resuming = new Set<Promise<void>>();
  function track(work: Promise<void>): void {
    resuming.add(work);
    void work.finally(() => resuming.delete(work));
  }
  /**
   * The replay of the schedules paused or deleted while no scheduler led (see
   * replayRetiredSchedules). A pause ending waits for it: both read and store the cursor of a
   * paused schedule, and the resume must start from what the replay dealt with.
   */
  let replaying: Promise<void> = Promise.resolve();
  function fireDue(): void {
    if (isFiring()) {
      for (const row of resumes.takeDue(clock.now())) {
        const resumeDeps = { db, writer, held, resumes, log, clock, events, rearm };
        track(replaying.then(() => resumePaused(resumeDeps, row)));
      }
    }
    firer.fireDue();
  }
  const timer = createWakeTimer({ clock, onWake: fireDue, maxSleepMs: deps.maxSleepMs ?? 10_000 });
  const lease = createLeaderLease({
    redis,
    key: leaderLeaseKey(deps.namespace),
    instanceId,
    clock,
    log,
    onChange: onLeadershipChange,
    ...deps.lease,
  });
  const report = createSelfReport({
    redis,
    namespace: deps.namespace,
    instanceId,
    startedAt: new Date(clock.now()),
    now: () => clock.now(),
    isLeader: () => lease.isLeader(),
    schedulesLoaded: () => held.size,
  });
  const resumes = new ResumeQueue();
  const writer = createResumeWriter(deps.database, redis, deps.namespace, log, clock);
  const sync = createScheduleSync({
    db,
    namespace: deps.namespace,
    held,
    resumes,
    report,
    metrics,
    events,
    log,
    clock,
    rearm,
  });
  const subscriber = createUpdateSubscriber({
    redisUrl: deps.redisUrl,
    connectionName: subscriberName,
    log,
    now: () => clock.now(),
    onUpdate: (message, receivedAtMs) => void sync.applyMessage(message, receivedAtMs),
    onResubscribed: () => void sync.resync(),
  });

  const sweepRound = createSweepRound({
    db,
    queue: deps.queue,
    log,
    events,
    olderThanMs: deps.sweepOlderThanMs ?? 10_000,
    pageSize: deps.sweepPageSize,
  });
  const selfCheck = createSelfCheck({
    db,
    held,
    coalescer,
    log,
    metrics,
    events,
    rearm,
    pageSize: deps.selfCheckPageSize,
  });
  const isFiring = () => isLeaderReady && lease.isLeader() && !isStopping;
  const pollAndCheck = () => sync.poll().then(() => (isFiring() ? selfCheck(clock.now()) : undefined));
  const sweepIfLeading = () => (isFiring() ? sweepRound() : Promise.resolve());
  const recorder = createAheadRecorder({ db, held, ahead, clock, log, isFiring });
  const writes = createChangeWrites({ coalescer, log, isFiring });

  function rearm(): void {
    if (isStopping) return;
    metrics.schedulesHeld = held.size;
    metrics.schedulesInvalid = held.invalid.size;
    // Only the leader ends pauses; a follower arming for them would wake for nothing, again and again.
    const dueAts = [held.timeline.peek()?.dueAtMs, isFiring() ? resumes.nextAtMs() : undefined];
    const defined = dueAts.filter((at): at is number => at !== undefined);
    timer.arm(defined.length > 0 ? Math.min(...defined) : undefined);
  }

  function onLeadershipChange(isLeader: boolean): void {
    metrics.isLeader = isLeader;
    isLeaderReady = false;
    // The rows stay: whoever leads next holds them again (see takeOverLead).
    ahead.clear();
    events.emit("leader", isLeader);
    if (isLeader) void prepareToLead();
    else rearm();
  }

  async function prepareToLead(): Promise<void> {
    await takeOverLead({
      db,
      held,
      recorder,
      log,
      clock,
      isStillLeading: () => lease.isLeader() && !isStopping,
      coalescer,
      onReady(replay) {
        isLeaderReady = true;
        replaying = replay;
        track(replaying);
        events.emit("leading");
        rearm();
        fireDue();
      },
    });
  }

  return {
    instanceId,
    subscriberName,
    events,
    status: () => report.status(),
    invalidSchedules: () => [...held.invalid].map(([name, reason]) => ({ name, reason })),
    renderMetrics: () => metrics.render(),
    metricsRegistry: metrics.registry,
    async start() {
      await redis.connect();
      // Subscribe before loading: a change published during the load is then either in the
      // load's snapshot or arrives as a message, never lost between the two.
      await subscriber.start();
      await sync.resync();
      await lease.start();
      stopLoops.push(
        ...startSchedulerLoops({
          clock,
          log,
          poll: { everyMs: deps.pollIntervalMs, run: pollAndCheck },
          report: { everyMs: deps.statusIntervalMs ?? 2000, run: () => report.write() },
          sweep: { everyMs: deps.sweepIntervalMs ?? 3000, run: sweepIfLeading },
          // Tracked, so that a stop waits for an INSERT in flight rather than closing under it.
          recordAhead: { ...RECORD_AHEAD_LOOP, run: () => recordAhead() },
        }),
      );
      await report.write().catch((error: unknown) => log.warn({ err: error }, "status report failed"));
      rearm();
    },
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
  };

  async function shutdown(): Promise<void> {
    isStopping = true;
    timer.stop();
    for (const stopLoop of stopLoops.splice(0)) stopLoop();
    await firer.settled();
    await Promise.allSettled([...resuming]);
    await lease.stop();
    await subscriber.stop();
    await report.clear().catch((error: unknown) => log.warn({ err: error }, "could not clear the status"));
    await sync.settled();
    redis.disconnect();
  }

  function recordAhead(): Promise<void> {
    const round = recorder.round();
    track(Promise.allSettled([round]).then(() => undefined));
    return round;
  }
}
