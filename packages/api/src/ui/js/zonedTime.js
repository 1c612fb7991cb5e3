// Instants as wall time in a zone and back, with the browser's own zone data (Intl). The schedule's words
// come from the server (`summary`); only the instants the page lays out are formatted here.

/** The calendar parts of an instant's wall time in a zone, zero-padded, on a 24-hour clock. */
export function zonedParts(iso, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    weekday: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const get = (type) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    weekday: get("weekday"),
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
  };
}

/** An instant as wall time in a zone, weekday first: "Tue 2026-05-05 09:15". */
export function formatInZone(iso, zone) {
  const p = zonedParts(iso, zone);
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const pad = (n) => String(n).padStart(2, "0");

/** An instant as the `datetime-local` value of its wall time in a zone: "2026-05-01T09:00". */
export function toZonedWallTime(iso, zone) {
  const p = zonedParts(iso, zone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * A wall time in a zone as an ISO instant with that zone's offset. A wall time skipped by DST is
 * read with the offset in force before the gap, as the scheduler does (RFC 5545).
 */
export function fromZonedWallTime(local, zone) {
  const wallMs = Date.parse(`${local}:00Z`);
  const offsetAt = (ms) =>
    Date.parse(`${toZonedWallTime(new Date(ms).toISOString(), zone)}:00Z`) - Math.floor(ms / 60000) * 60000;
  const before = offsetAt(wallMs - 86400000);
  let utcMs = wallMs - offsetAt(wallMs - before);
  if (toZonedWallTime(new Date(utcMs).toISOString(), zone) !== local) utcMs = wallMs - before;
  const offsetMin = Math.round((wallMs - utcMs) / 60000);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return `${local}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
