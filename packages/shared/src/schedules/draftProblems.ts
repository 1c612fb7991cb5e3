import { InvalidSchedule, type ErrorDetail } from "../errors.js";
import { findUnsendableHeaders } from "../http/unsendableHeaders.js";
import { findForbiddenKey } from "../support/forbiddenKeys.js";
import { parseCron } from "./cron.js";
import { MAX_PAYLOAD_BYTES } from "./model.js";
import type { ScheduleDraft } from "./validation.js";

/**
 * The checks that span fields, run on the resolved draft: exactly one kind of timing, a cron
 * that parses, a window that is not empty, a payload that fits. Throws {@link InvalidSchedule}.
 */
export function assertValidDraft(draft: ScheduleDraft, prefix = ""): void {
  const details = findDraftProblems(draft, prefix);
  if (details.length > 0) throw new InvalidSchedule(details);
}

/** The problems {@link assertValidDraft} throws for, as a list. */
export function findDraftProblems(draft: ScheduleDraft, prefix = ""): ErrorDetail[] {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const details: ErrorDetail[] = [];
  const kinds = (["cron", "intervalSeconds", "runAt"] as const).filter((k) => draft[k] !== null);
  if (kinds.length !== 1) {
    details.push({
      field: at(kinds[1] ?? "cron"),
      message:
        kinds.length === 0
          ? "exactly one of cron, intervalSeconds or runAt is required"
          : `exactly one of cron, intervalSeconds or runAt may be set, got ${kinds.join(" and ")}`,
    });
  }
  if (draft.cron !== null) {
    try {
      parseCron(draft.cron);
    } catch (error) {
      const message =
        error instanceof InvalidSchedule ? (error.details[0]?.message ?? error.message) : String(error);
      details.push({ field: at("cron"), message });
    }
  }
  if (draft.startAt && draft.endAt && draft.startAt >= draft.endAt) {
    details.push({ field: at("endAt"), message: "must be after startAt" });
  }
  if (draft.pausedUntil && draft.enabled) {
    details.push({
      field: at("pausedUntil"),
      message: "is the instant a paused schedule resumes: set it with enabled: false",
    });
  }
  const forbidden = findForbiddenKey(draft.payload, "payload");
  if (forbidden) details.push({ field: at(forbidden), message: "is a forbidden key" });
  details.push(...findHeaderProblems(draft, at));
  const payloadBytes = Buffer.byteLength(JSON.stringify(draft.payload), "utf8");
  if (payloadBytes > MAX_PAYLOAD_BYTES) {
    details.push({
      field: at("payload"),
      message: `is ${payloadBytes} bytes; at most ${MAX_PAYLOAD_BYTES} are allowed`,
    });
  }
  return details;
}

/** The `http` task's headers that it could never send, refused when saved rather than at each fire. */
function findHeaderProblems(draft: ScheduleDraft, at: (field: string) => string): ErrorDetail[] {
  const headers = draft.payload.headers;
  if (draft.task !== "http" || headers === null || typeof headers !== "object" || Array.isArray(headers))
    return [];
  return findUnsendableHeaders(headers as Record<string, unknown>).map(({ name, reason }) => ({
    field: at(`payload.headers.${name}`),
    message: reason,
  }));
}
