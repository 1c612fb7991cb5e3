import {
  readCarriedRow,
  type CalendarDates,
  type Database,
  type Logger,
  type Schedule,
  type ScheduleUpdateMessage,
  holdParsedCrons,
} from "@hotbeat/shared";
import type { Clock } from "../timeline/clock.js";
import type { HeldSchedules } from "../timeline/heldSchedules.js";
import type { ResumeQueue } from "../timeline/resumeQueue.js";
import type { SchedulerMetrics } from "../schedulerMetrics.js";
import { createBatcher } from "../firing/batcher.js";
import { TurnSlicer } from "./turnSlicer.js";
import {
  calendarsFor,
  loadChangesSince,
  loadEnabledSchedules,
  loadSchedulesByName,
  readEnabledVersions,
  type Watermark,
} from "./scheduleSource.js";
import type { SelfReport } from "../cluster/selfReport.js";
import type { SchedulerEventEmitter } from "../schedulerEvents.js";

export interface ScheduleSyncDeps {
  db: Database;
  /** This deployment's Redis namespace: only its messages' carried rows are applied as they are. */
  namespace: string;
  held: HeldSchedules;
  /** Paused schedules with a resume instant: tracked from the same rows as the timeline. */
  resumes: ResumeQueue;
  report: SelfReport;
  metrics: SchedulerMetrics;
  events: SchedulerEventEmitter;
  log: Logger;
  clock: Clock;
  /** Re-arms the wake timer after the timeline changed. */
  rearm: () => void;
}

export interface ScheduleSync {
  /** Applies one `schedule_updates` message: loads that schedule, applies it if newer. */
  applyMessage(message: ScheduleUpdateMessage, receivedAtMs: number): Promise<void>;
  /** Loads every enabled schedule (at start, and when the subscription comes back). */
  resync(): Promise<void>;
  /** Applies what changed since the last load or poll, raw SQL edits and deletes included. */
  poll(): Promise<void>;
  /** Resolves once the resync or poll in progress, if any, has finished. */
  settled(): Promise<unknown>;
}

/**
 * Keeps the held schedules in step with PostgreSQL: per message, by poll and by full reload. The
 * version check in {@link HeldSchedules.apply} makes their order irrelevant: whichever reads a
 * version first applies it, and an older read never overwrites a newer one.
 */
export function createScheduleSync(deps: ScheduleSyncDeps): ScheduleSync {
  const { db, namespace, held, resumes, report, metrics, events, log, clock, rearm } = deps;
  let watermark: Watermark | undefined;
  /** Full loads made so far; the current one marks the entries it finds (see HeldSchedule.loadMark). */
  let loads = 0;
  let syncChain: Promise<unknown> = Promise.resolve();

  /** Runs resyncs and polls one at a time, so their watermarks never interleave. */
  function exclusive(task: () => Promise<void>): Promise<void> {
    const run = syncChain
      .then(task)
      .catch((error: unknown) =>
        log.error({ err: error }, "schedule sync failed; retrying at the next poll"),
      );
    syncChain = run;
    return run;
  }

  function applyRow(
    name: string,
    row: Schedule | undefined,
    version: number,
    calendars: readonly CalendarDates[],
    source: string,
    receivedAtMs?: number,
  ) {
    const wasHeld = held.get(name) !== undefined || held.invalid.has(name);
    const outcome = held.apply(name, row, version, clock.now(), calendars);
    if (outcome === "stale") return;
    resumes.track(name, row);
    rearm();
    // A full load also reads the paused rows that resume by themselves: none of those is a removal.
    if (outcome === "removed" && (wasHeld || source !== "resync")) events.emit("removed", { name });
    if (source === "resync") return;
    const appliedAtMs = clock.now();
    // The change's own instant is its row's updated_at (PostgreSQL's clock, transaction start).
    const latencyMs = row ? Math.max(0, (receivedAtMs ?? appliedAtMs) - row.updatedAt.getTime()) : null;
    if (latencyMs !== null) metrics.changeAppliedLatency.observe(latencyMs / 1000);
    log.info({ schedule: name, version, source, latencyMs, outcome }, "schedule change applied");
    events.emit("applied", { name, version, source, latencyMs });
    const applied = { name, version, appliedAt: new Date(appliedAtMs).toISOString(), latencyMs };
    report
      .announceApplied(applied)
      .catch((error: unknown) => log.warn({ err: error }, "could not announce an applied change"));
  }

  // Messages that arrive in the same turn (a burst of writes) are read back in one snapshot.
  const loadAndApply = createBatcher<{ name: string; receivedAtMs: number }>(async (items) => {
    const loaded = await loadSchedulesByName(db, [...new Set(items.map((item) => item.name))]);
    for (const { name, receivedAtMs } of items) {
      const { row, version, calendars } = loaded.get(name)!;
      applyRow(name, row, version, calendars, "message", receivedAtMs);
    }
  });

  async function applyMessage(message: ScheduleUpdateMessage, receivedAtMs: number): Promise<void> {
    try {
      if (held.knownVersion(message.name) >= message.version) {
        // Already applied (by the poll, or a duplicate message): say so again for waiters.
        const applied = {
          name: message.name,
          version: held.knownVersion(message.name),
          appliedAt: new Date(clock.now()).toISOString(),
          latencyMs: null,
        };
        await report.announceApplied(applied);
        return;
      }
      // The committed row, carried by a message of this deployment that names no calendar: applied
      // at once, with no read-back queued behind the other messages of a burst.
      const carried = readCarriedRow(message, namespace);
      if (carried) return applyRow(message.name, carried, message.version, [], "message", receivedAtMs);
      await loadAndApply({ name: message.name, receivedAtMs });
    } catch (error) {
      log.warn({ err: error, schedule: message.name }, "could not apply a change; the poll will");
    }
  }

  async function resync(): Promise<void> {
    const startSeq = held.lastSeq;
    const { rows, calendars, watermark: next } = await loadEnabledSchedules(db);
    const mark = ++loads;
    const turns = new TurnSlicer();
    const releaseParsed = holdParsedCrons();
    try {
      for (const row of rows) {
        // Computing 100k next fires in one go would stall the event loop for seconds.
        if (turns.isOver) await turns.next();
        applyRow(row.name, row, row.version, calendarsFor(row, calendars), "resync");
        const entry = held.get(row.name);
        if (entry) entry.loadMark = mark;
      }
    } finally {
      releaseParsed();
    }
    // What the snapshot no longer holds goes, unless a message applied it meanwhile. In turns
    // too: a million names in one pass held the event loop for most of a second.
    for (const entry of held.entries()) {
      if (turns.isOver) await turns.next();
      const name = entry.name;
      if (entry.loadMark !== mark && entry.appliedSeq <= startSeq && held.get(name) === entry)
        held.remove(name);
    }
    watermark = next;
    metrics.resyncsTotal += 1;
    rearm();
    log.info({ schedules: held.size }, "schedules loaded");
    events.emit("resynced", { count: held.size });
  }

  async function poll(): Promise<void> {
    if (watermark === undefined) return resync();
    const { changes, calendars, watermark: next } = await loadChangesSince(db, watermark);
    for (const change of changes) {
      const version = change.row?.version ?? change.version;
      applyRow(change.name, change.row, version, calendarsFor(change.row, calendars), "poll");
    }
    watermark = next;
    const reconciled = await reconcile();
    events.emit("polled", { changes: changes.length + reconciled });
  }

  /**
   * Compares the held schedules with the enabled rows, whatever history says: a row gone without
   * a trace (`TRUNCATE`, triggers disabled) is dropped, a version not seen is loaded and applied.
   * Found entries are marked as a full load marks them, and both passes run in turns: at a
   * million schedules one pass is most of a second. Returns how many it changed.
   */
  async function reconcile(): Promise<number> {
    const startSeq = held.lastSeq;
    const mark = ++loads;
    const turns = new TurnSlicer();
    const unseen: string[] = [];
    const invalidFound = new Set<string>();
    // Only what was invalid before the read can be known absent from it.
    const invalidBefore = [...held.invalid.keys()];
    await readEnabledVersions(db, async (page) => {
      for (const { name, version } of page) {
        if (turns.isOver) await turns.next();
        const entry = held.get(name);
        if (entry) entry.loadMark = mark;
        else if (held.invalid.has(name)) invalidFound.add(name);
        if (version > held.knownVersion(name)) unseen.push(name);
      }
    });
    let count = 0;
    for (const entry of held.entries()) {
      if (turns.isOver) await turns.next();
      const name = entry.name;
      // Applied after the read started (by a message): newer than what the read saw.
      if (entry.loadMark === mark || entry.appliedSeq > startSeq || held.get(name) !== entry) continue;
      log.warn({ schedule: name }, "schedule gone from the database without a history row; removed");
      held.remove(name);
      events.emit("removed", { name });
      count += 1;
    }
    for (const name of invalidBefore)
      if (held.invalid.has(name) && !invalidFound.has(name)) held.remove(name);
    if (unseen.length > 0) {
      const loaded = await loadSchedulesByName(db, unseen);
      for (const [name, { row, version, calendars }] of loaded)
        applyRow(name, row, version, calendars, "poll");
      count += unseen.length;
    }
    if (count > 0) rearm();
    return count;
  }

  return {
    applyMessage,
    resync: () => exclusive(resync),
    poll: () => exclusive(poll),
    settled: () => syncChain,
  };
}
