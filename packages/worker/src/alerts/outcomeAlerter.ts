import { EventEmitter } from "node:events";
import { noteRunOutcomes, type AlertDeps, type AlertJobData, type RunRow } from "@hotbeat/shared";
import { createGroupCommit } from "../groupCommit.js";

/** The outcomes of these runs were looked at, and these alerts raised. */
export interface OutcomesNotedEvent {
  runIds: string[];
  alerts: AlertJobData[];
}

export interface OutcomeAlerterEvents {
  noted: [OutcomesNotedEvent];
}

/**
 * Hears of every run the worker finished and raises the `failing` and `recovered` alerts they
 * call for (`noteRunOutcomes`), after the outcome is recorded and apart from it: the run never
 * waits for its alert, and an alert that cannot be raised never fails it. Outcomes of one turn of
 * the event loop are looked at together.
 */
export class OutcomeAlerter extends EventEmitter<OutcomeAlerterEvents> {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly noteOne: (run: RunRow) => Promise<null>;

  constructor(private readonly deps: AlertDeps) {
    super();
    this.noteOne = createGroupCommit(
      (run: RunRow) => run.id,
      async (batch) => {
        const alerts = await noteRunOutcomes(deps, batch);
        this.emit("noted", { runIds: batch.map((run) => run.id), alerts });
        return new Map<string, null>();
      },
    );
  }

  /** Looks at finished runs, later; never throws. */
  note(runs: readonly RunRow[]): void {
    for (const run of runs) {
      const noted = this.noteOne(run).catch((error: unknown) =>
        this.deps.log.warn(
          { err: error, runId: run.id, schedule: run.scheduleName },
          "run outcome not checked for alerts",
        ),
      );
      this.inFlight.add(noted);
      void noted.finally(() => this.inFlight.delete(noted));
    }
  }

  /** Resolves once every outcome handed to {@link note} so far has been looked at. */
  async close(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
