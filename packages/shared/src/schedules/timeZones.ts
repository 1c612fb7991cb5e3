import { IANAZone } from "luxon";

// luxon answers by building an Intl.DateTimeFormat each time, which cost more than the rest of a
// write's validation together. Only valid names are kept: they are a finite set (the runtime's
// zone database), while a stream of typos must not grow the cache.
const validZones = new Set<string>();

/** True for an IANA zone name the runtime knows ("Asia/Ho_Chi_Minh", "UTC"); false for offsets and typos. */
export function isValidTimeZone(zone: string): boolean {
  if (validZones.has(zone)) return true;
  const isValid = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && IANAZone.isValidZone(zone);
  if (isValid) validZones.add(zone);
  return isValid;
}
