// Which zone the page shows instants in: each schedule's own, or the viewer's. Every instant
// on the page names its zone, so Ho Chi Minh City and Berlin wall times never look alike.

import { formatInZone } from "./zonedTime.js";

const MODE_KEY = "hotbeat.zoneMode";
const listeners = new Set();

/** The viewer's zone, as the browser reports it. */
export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** "schedule" (each schedule's zone, the default) or "viewer". */
export const zoneMode = () => (localStorage.getItem(MODE_KEY) === "viewer" ? "viewer" : "schedule");

export function setZoneMode(mode) {
  localStorage.setItem(MODE_KEY, mode === "viewer" ? "viewer" : "schedule");
  for (const listener of listeners) listener();
}

/** Runs `listener` whenever the mode changes. */
export const onZoneModeChange = (listener) => listeners.add(listener);

/** The zone an instant of a schedule in `scheduleZone` is shown in. */
export const shownZone = (scheduleZone) => (zoneMode() === "viewer" ? viewerZone() : scheduleZone);

/** "Tue 2026-05-05 09:15 Asia/Ho_Chi_Minh": an instant with the zone it is written in. */
export function formatInstant(iso, scheduleZone) {
  const zone = shownZone(scheduleZone);
  return `${formatInZone(iso, zone)} ${zone}`;
}
