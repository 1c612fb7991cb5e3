import { IANAZone } from "luxon";

/** True for an IANA zone name the runtime knows ("Asia/Ho_Chi_Minh", "UTC"); false for offsets and typos. */
export function isValidTimeZone(zone: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && IANAZone.isValidZone(zone);
}
