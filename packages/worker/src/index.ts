export {
  createWorker,
  fetchLoopShares,
  RunWorker,
  type CloseOptions,
  type CreateWorkerOptions,
} from "./createWorker.js";
export { registerAlertMetrics } from "./alerts/alertMetrics.js";
export {
  AlertWorker,
  createAlertWorker,
  type AlertDeliveryEvent,
  type AlertWorkerEvents,
  type CreateAlertWorkerOptions,
} from "./alerts/createAlertWorker.js";
export {
  OutcomeAlerter,
  type OutcomeAlerterEvents,
  type OutcomesNotedEvent,
} from "./alerts/outcomeAlerter.js";
export type {
  RunDeclinedEvent,
  RunFinishedEvent,
  RunRetryingEvent,
  RunStartedEvent,
  RunWorkerEvents,
} from "./runEvents.js";
export { startWorker, type StartedWorker } from "./startWorker.js";
export { createWorkerMetrics } from "./workerMetrics.js";
export {
  PermanentTaskError,
  TaskTimeoutError,
  TransientTaskError,
  WorkerShutdownError,
} from "./taskErrors.js";
export {
  computeRetryDelayMs,
  createTaskRegistry,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TASK_TIMEOUT_MS,
  type RegisteredTask,
  type RetryPolicy,
  type TaskContext,
  type TaskDefinition,
  type TaskHandler,
  type TaskRegistry,
} from "./taskRegistry.js";
export {
  createHttpTask,
  HTTP_TASK_NAME,
  httpTaskPayloadSchema,
  type HttpTaskOptions,
  type HttpTaskPayload,
  type HttpTaskResult,
} from "./tasks/http.js";
export { createLogTask, LOG_TASK_NAME } from "./tasks/log.js";
export { createAddressPolicy, type AddressPolicy } from "./outbound/addressPolicy.js";
export { ForbiddenAddressError } from "./outbound/guardedLookup.js";
export { ResponseTooLargeError } from "./outbound/sendHttpRequest.js";
