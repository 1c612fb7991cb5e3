import type { AlertJobData, Logger } from "@hotbeat/shared";
import { describeThrown } from "../describeThrown.js";
import type { AddressPolicy } from "../outbound/addressPolicy.js";
import { parseRetryAfter } from "../outbound/parseRetryAfter.js";
import { sendHttpRequest, type HttpReply } from "../outbound/sendHttpRequest.js";
import { runHandler } from "../runHandler.js";
import { formatIssues, PermanentTaskError, TransientTaskError } from "../taskErrors.js";
import type { TaskRegistry } from "../taskRegistry.js";

/** What one delivery needs. */
export interface AlertDeliveryDeps {
  /** The `http` task's policy: the same addresses are refused, the same allow list opens them. */
  policy: AddressPolicy;
  registry: TaskRegistry;
  log: Logger;
  userAgent: string;
  /** Deadline of one webhook call; a task target runs under its own timeout. */
  webhookTimeoutMs: number;
  shutdownSignal: AbortSignal;
}

/** A webhook's answer is read up to this size, and not kept. */
const MAX_WEBHOOK_RESPONSE_BYTES = 64 * 1024;

async function postAlert(deps: AlertDeliveryDeps, job: AlertJobData, target: string): Promise<void> {
  const url = new URL(target);
  // The origin only, in errors and logs: a webhook's path often is its secret (Slack, Discord).
  const origin = url.origin;
  const deadline = AbortSignal.timeout(deps.webhookTimeoutMs);
  const headers = {
    "user-agent": deps.userAgent,
    "content-type": "application/json",
    "idempotency-key": job.key,
    "x-hotbeat-schedule": job.body.schedule,
    "x-hotbeat-event": job.body.event,
  };
  let reply: HttpReply;
  try {
    reply = await sendHttpRequest({
      url,
      method: "POST",
      headers,
      body: Buffer.from(JSON.stringify(job.body)),
      signal: AbortSignal.any([deadline, deps.shutdownSignal]),
      policy: deps.policy,
      maxResponseBytes: MAX_WEBHOOK_RESPONSE_BYTES,
    });
  } catch (error) {
    if (deadline.aborted)
      throw new TransientTaskError(`no answer from ${origin} within ${deps.webhookTimeoutMs} ms`);
    // A refused address, a scheme other than http(s): the same target would be refused again.
    if (error instanceof PermanentTaskError) throw error;
    throw new TransientTaskError(`POST ${origin} failed: ${describeThrown(error)}`, undefined, {
      cause: error,
    });
  }
  if (reply.status >= 200 && reply.status < 300) return;
  const message = `POST ${origin} answered ${reply.status}`;
  if (reply.status === 408 || reply.status === 429 || reply.status >= 500)
    throw new TransientTaskError(message, parseRetryAfter(reply.headers["retry-after"], new Date()));
  // Redirects are not followed: an alert target is configured, not discovered.
  throw new PermanentTaskError(`${message}, expected 2xx`);
}

async function callAlertTask(
  deps: AlertDeliveryDeps,
  job: AlertJobData,
  name: string,
  attempt: number,
): Promise<void> {
  const task = deps.registry.get(name);
  if (!task)
    throw new PermanentTaskError(
      `unknown task "${name}"; this worker runs: ${deps.registry.names().join(", ")}`,
    );
  let payload: unknown = job.body;
  if (task.payloadSchema) {
    const parsed = task.payloadSchema.safeParse(job.body);
    if (!parsed.success) throw new PermanentTaskError(formatIssues(parsed.error, "alert"));
    payload = parsed.data;
  }
  const log = deps.log.child({ task: name });
  await runHandler(
    (signal) =>
      task.handler(payload, {
        // The alert's key plays the run id's part: stable across attempts, an idempotency key.
        runId: job.key,
        scheduleName: job.body.schedule,
        scheduledAt: new Date(job.body.at),
        attempt,
        signal,
        log,
      }),
    { timeoutMs: task.timeoutMs, shutdownSignal: deps.shutdownSignal, log },
  );
}

/**
 * Delivers one alert: a POST of its JSON body to a webhook, through the `http` task's address
 * guard, with `Idempotency-Key` (the alert's key) and `X-Hotbeat-Schedule`; or a call of a
 * registered task with the body as its payload. Throws a {@link PermanentTaskError} when trying
 * again cannot help (a refused address, a 4xx, an unknown task), any other error when it may.
 */
export async function deliverAlert(
  deps: AlertDeliveryDeps,
  job: AlertJobData,
  attempt: number,
): Promise<void> {
  if ("url" in job.target) await postAlert(deps, job, job.target.url);
  else await callAlertTask(deps, job, job.target.task, attempt);
}
