import { EventEmitter } from "node:events";
import { noteMissedFires, type AlertDeps, type AlertJobData } from "@hotbeat/shared";
import type { MissedRecordedEvent, SchedulerEventEmitter } from "../schedulerEvents.js";

/** A wake's missed fires of one schedule were looked at; `alert` is what was raised, if anything. */
export interface MissedNotedEvent {
  schedule: string;
  alert: AlertJobData | null;
}

/** Raises `missed` alerts as the scheduler records missed runs; see {@link watchMissedFires}. */
export class MissedFireAlerts extends EventEmitter<{ noted: [MissedNotedEvent] }> {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listener: (event: MissedRecordedEvent) => void;

  constructor(
    private readonly events: SchedulerEventEmitter,
    private readonly deps: AlertDeps,
  ) {
    super();
    this.listener = (event) => this.track(this.note(event));
    events.on("missedRecorded", this.listener);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async note({ schedule, unfired, at }: MissedRecordedEvent): Promise<void> {
    try {
      const alert = await noteMissedFires(this.deps, schedule, unfired, at);
      this.emit("noted", { schedule: schedule.name, alert });
    } catch (error) {
      this.deps.log.error(
        { err: error, schedule: schedule.name, missed: unfired.length },
        "missed fires recorded, but their alert could not be raised",
      );
    }
  }

  /** Stops listening and waits for the alerts being raised. */
  async close(): Promise<void> {
    this.events.off("missedRecorded", this.listener);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

/**
 * Raises one `missed` alert per schedule and wake in which the scheduler recorded missed runs,
 * beside the firing rather than in its way: the fires of that wake never wait for the alert,
 * and an alert that cannot be raised is logged, never retried as a fire.
 */
export function watchMissedFires(events: SchedulerEventEmitter, deps: AlertDeps): MissedFireAlerts {
  return new MissedFireAlerts(events, deps);
}
