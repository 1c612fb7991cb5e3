import type { EventEmitter } from "node:events";
import type { Schedule } from "@hotbeat/shared";
import type { FiredEvent } from "./firing/fireInstants.js";
import type { UnfiredInstant } from "./firing/planDueFires.js";
import type { SelfCheckReason } from "./schedulerMetrics.js";

/** A change reached this scheduler's timeline (by message or poll; a resync emits none). */
export interface AppliedEvent {
  name: string;
  version: number;
  /** How the change arrived: the message channel or the poll. */
  source: string;
  /** From the row's updated_at to applied; null for a deletion, which has no row. */
  latencyMs: number | null;
}

/** A schedule's due instants were dealt with up to its new cursor, `cursorAt`. */
export interface HandledEvent {
  name: string;
  fired: number;
  missed: number;
  cursorAt: Date;
}

/** One wake recorded these instants of a schedule as `missed` runs (what alerts are raised from). */
export interface MissedRecordedEvent {
  schedule: Schedule;
  unfired: readonly UnfiredInstant[];
  /** When they were recorded, by the scheduler's clock. */
  at: Date;
}

/** A pause ended at its `pausedUntil`: the schedule is enabled again and fires after `cursorAt`. */
export interface ResumedEvent {
  name: string;
  version: number;
  /** The clock's instant when the leader began ending the pause (its `pausedUntil`, or later). */
  startedAt: Date;
  cursorAt: Date;
  /** Instants of the pause recorded as skipped (`pauseMode: skip`). */
  skipped: number;
}

/**
 * The events of a {@link Scheduler}; tests and the process's wiring listen to them. `leading`
 * means cursors are restored and this replica fires; `leader` reports every change of the lease.
 */
export interface SchedulerEvents {
  applied: [AppliedEvent];
  removed: [{ name: string }];
  fired: [FiredEvent];
  handled: [HandledEvent];
  missedRecorded: [MissedRecordedEvent];
  /** A schedule's plan failed (PostgreSQL or Redis away); it is tried again at `retryAtMs`. */
  failed: [{ name: string; retryAtMs: number }];
  resynced: [{ count: number }];
  polled: [{ changes: number }];
  leader: [boolean];
  leading: [];
  requeued: [{ runId: string }];
  invalid: [{ name: string; reason: string }];
  resumed: [ResumedEvent];
  /** The leader's self-check found `name` wrong and repaired it (`at`: the instant it recorded). */
  repaired: [{ name: string; reason: SelfCheckReason; at?: Date }];
  /** One round of the self-check is done. */
  selfChecked: [{ repaired: number }];
}

/** The scheduler's typed event emitter, handed to the parts that emit. */
export type SchedulerEventEmitter = EventEmitter<SchedulerEvents>;
