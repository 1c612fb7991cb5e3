// Instants as wall time in a zone, with the browser's own zone data (Intl). The schedule's words
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
