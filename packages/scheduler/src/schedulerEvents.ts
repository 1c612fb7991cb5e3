import type { EventEmitter } from "node:events";
import type { FiredEvent } from "./fireInstant.js";
import type { SelfCheckReason } from "./metrics.js";

/** A change reached this scheduler's timeline (by message or poll; a resync emits none). */
export interface AppliedEvent {
  name: string;
  version: number;
  /** How the change arrived: the message channel or the poll. */
  source: string;
  /** From the row's updated_at to applied; null for a deletion, which has no row. */
  latencyMs: number | null;
}

/** A schedule's due instants were dealt with up to `throughAt`. */
export interface HandledEvent {
  name: string;
  fired: number;
  missed: number;
  throughAt: Date;
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
  /** A schedule's plan failed (PostgreSQL or Redis away); it is tried again at `retryAtMs`. */
  failed: [{ name: string; retryAtMs: number }];
  resynced: [{ count: number }];
  polled: [{ changes: number }];
  leader: [boolean];
  leading: [];
  requeued: [{ runId: string }];
  invalid: [{ name: string; reason: string }];
  /** The leader's self-check found `name` wrong and repaired it (`at`: the instant it recorded). */
  repaired: [{ name: string; reason: SelfCheckReason; at?: Date }];
  /** One round of the self-check is done. */
  selfChecked: [{ repaired: number }];
}

/** The scheduler's typed event emitter, handed to the parts that emit. */
export type SchedulerEventEmitter = EventEmitter<SchedulerEvents>;
