import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Decides which addresses the `http` task may connect to: public addresses only unless configured otherwise, so a schedule cannot reach the internal network. */
export interface AddressPolicy {
  /**
   * Why connecting to `address` (reached through `host`, a name or the address itself) is
   * refused, or undefined when it is allowed.
   */
  refusal(host: string, address: string): string | undefined;
}

/** Global unicast IPv6 lives in 2000::/3; everything outside it is special-purpose or unassigned. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

function normalizeHost(host: string): string {
  return host
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address as far as the network is concerned. */
function unmap(address: Address): Address {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

/** The range name of a non-public address ("loopback", "private", …), or undefined when public. */
export function describeNonPublic(address: Address): string | undefined {
  const plain = unmap(address);
  const range = plain.range();
  if (range !== "unicast") return range;
  if (plain.kind() === "ipv6" && !(plain as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) return "reserved";
  return undefined;
}

/**
 * Builds the policy from HOTBEAT_HTTP_TASK_ALLOW entries: a host name (exact, case-insensitive),
 * an IP address, or a CIDR. Everything that is not public unicast (loopback, private, CGNAT,
 * link-local, unique-local, multicast, 0.0.0.0/8, NAT64, 6to4, …) is refused unless allowed. Throws
 * on an entry that is neither a valid CIDR nor a plausible host name.
 */
export function createAddressPolicy(allow: readonly string[]): AddressPolicy {
  const hosts = new Set<string>();
  const cidrs: Array<[Address, number]> = [];
  for (const raw of allow) {
    const entry = normalizeHost(raw.trim());
    if (!entry) continue;
    if (entry.includes("/")) {
      if (!ipaddr.isValidCIDR(entry))
        throw new Error(`HOTBEAT_HTTP_TASK_ALLOW: "${raw}" is not a valid CIDR`);
      const [address, bits] = ipaddr.parseCIDR(entry);
      cidrs.push([
        unmap(address),
        address.kind() === "ipv6" && unmap(address).kind() === "ipv4" ? bits - 96 : bits,
      ]);
    } else if (ipaddr.isValid(entry)) {
      const address = unmap(ipaddr.parse(entry));
      cidrs.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(entry)) {
      hosts.add(entry);
    } else {
      throw new Error(`HOTBEAT_HTTP_TASK_ALLOW: "${raw}" is neither a host name, an address nor a CIDR`);
    }
  }

  return {
    refusal(host, rawAddress) {
      if (!ipaddr.isValid(rawAddress)) return `"${rawAddress}" is not an IP address`;
      const address = unmap(ipaddr.parse(rawAddress));
      const range = describeNonPublic(address);
      if (range === undefined) return undefined;
      if (hosts.has(normalizeHost(host))) return undefined;
      if (cidrs.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits)))
        return undefined;
      const via = ipaddr.isValid(normalizeHost(host)) ? "" : ` (${host} resolves to it)`;
      return `refused to connect to ${address.toString()}${via}: ${range} address; add it to HOTBEAT_HTTP_TASK_ALLOW to allow it`;
    },
  };
}
