import { IANAZone } from "luxon";

/**
 * Zone names already found valid. Checking builds an Intl.DateTimeFormat (a quarter of a
 * millisecond, and native memory the heap does not show), and a scheduler checks the zone of
 * every row it loads. The tzdata built into Node cannot change while the process runs, so a valid
 * name stays valid; invalid names are not kept, so a flood of them cannot grow the set.
 */
const validTimeZones = new Set<string>();

/** True for an IANA zone name the runtime knows ("Asia/Ho_Chi_Minh", "UTC"); false for offsets and typos. */
export function isValidTimeZone(zone: string): boolean {
  if (validTimeZones.has(zone)) return true;
  const isValid = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && IANAZone.isValidZone(zone);
  if (isValid) validTimeZones.add(zone);
  return isValid;
}
