import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { PermanentTaskError } from "../taskErrors.js";
import type { AddressPolicy } from "./addressPolicy.js";

/** The `http` task refused a target address ({@link AddressPolicy}); retrying would not change the answer. */
export class ForbiddenAddressError extends PermanentTaskError {}

/**
 * A `lookup` for sockets that resolves like dns.lookup and then checks every address against the
 * policy. The socket connects only to an address this function returned, so the check applies to
 * the address actually connected to: a name that resolves to a private address, or one whose DNS
 * answer changes between a check and the connection (DNS rebinding), cannot get through. One bad
 * address refuses the whole name, rather than quietly connecting to the others.
 */
export function createGuardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, "", 0);
        return;
      }
      const refusal = addresses.map((entry) => policy.refusal(hostname, entry.address)).find(Boolean);
      if (refusal || addresses.length === 0) {
        callback(new ForbiddenAddressError(refusal ?? `${hostname} resolves to no address`), "", 0);
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
