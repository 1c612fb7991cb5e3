/** A run was claimed and its handler is about to be called. */
export interface RunStartedEvent {
  runId: string;
  jobId: string;
  task: string;
  attempt: number;
}

/** An attempt failed and the run will execute again after `retryInMs`. */
export interface RunRetryingEvent extends RunStartedEvent {
  error: string;
  retryInMs: number;
}

/** The run reached its final status, already recorded in PostgreSQL when this is emitted. */
export interface RunFinishedEvent extends RunStartedEvent {
  status: "succeeded" | "failed";
  error?: string;
}

/** A job was dropped without running anything: its data was invalid or its run was finished already. */
export interface RunDeclinedEvent {
  jobId: string;
  runId?: string;
  reason: "invalid_job" | "not_claimable";
}

/** The events of a {@link RunWorker}; tests and metrics listen to them. */
export interface RunWorkerEvents {
  started: [RunStartedEvent];
  retrying: [RunRetryingEvent];
  finished: [RunFinishedEvent];
  declined: [RunDeclinedEvent];
}
