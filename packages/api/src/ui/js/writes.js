// How the page reports a change it made, or why the API refused it; a write is always followed by
// a reload of what is shown, so a refused one shows the version the API has.

import { api, ApiError, schedulePath } from "./api.js";
import { announce, detailLines } from "./dom.js";

let refreshAll = async () => {};

/** What reloads the shown list and details after a write. */
export function setRefresh(refresh) {
  refreshAll = refresh;
}

/** Reloads the list and the open details. */
export const refresh = () => refreshAll();

/** Announces the API's refusal: its message and the field of each detail. */
export function reportError(e) {
  if (e instanceof ApiError && e.status === 412) {
    announce(
      "Someone changed this schedule meanwhile; the page now shows their version. Nothing of yours was saved.",
      { kind: "error" },
    );
  } else {
    announce(e.message, { kind: "error", details: e instanceof ApiError ? detailLines(e) : [] });
  }
}

/** Runs a schedule write, announces "message (version n)." and its warnings, then reloads. */
export async function write(message, call) {
  try {
    const result = await call();
    const warnings = result.warnings ?? [];
    announce(`${message} (version ${result.schedule.version}).`, {
      kind: warnings.length ? "warn" : "ok",
      details: warnings,
    });
  } catch (e) {
    reportError(e);
  }
  await refreshAll();
}

/**
 * Pauses or resumes, with If-Match so a stale page cannot undo a newer change. `pause` may say
 * until when (`pausedUntil`, an ISO instant) and what happens to the fires meanwhile (`pauseMode`).
 */
export async function setEnabled(schedule, enabled, { note, pausedUntil, pauseMode } = {}) {
  const body = { enabled };
  if (!enabled && pausedUntil !== undefined) body.pausedUntil = pausedUntil;
  if (!enabled && pauseMode !== undefined) body.pauseMode = pauseMode;
  return write(`${enabled ? "Resumed" : "Paused"} ${schedule.name}`, () =>
    api("PATCH", schedulePath(schedule.name), {
      body,
      ifMatch: schedule.version,
      note: note || undefined,
    }),
  );
}
