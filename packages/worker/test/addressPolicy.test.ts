import { describe, expect, it } from "vitest";
import { createAddressPolicy } from "../src/index.js";

describe("the http task's address policy", () => {
  const closed = createAddressPolicy([]);

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrierGradeNat"],
    ["169.254.169.254", "linkLocal"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fe80::1", "linkLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:a9fe:a9fe", "linkLocal"],
    ["::7f00:1", "reserved"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["2002:a00:1::1", "6to4"],
  ])("refuses %s as %s", (address, range) => {
    expect(closed.refusal(address, address)).toContain(`${range} address`);
  });

  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "allows the public address %s",
    (address) => {
      expect(closed.refusal(address, address)).toBeUndefined();
    },
  );

  it("names the host that resolved to a refused address", () => {
    expect(closed.refusal("metadata.internal", "169.254.169.254")).toContain(
      "(metadata.internal resolves to it)",
    );
  });

  it("opens exactly the addresses, ranges and hosts it is given", () => {
    const policy = createAddressPolicy([
      "127.0.0.1",
      "10.0.0.0/8",
      "Internal.Example.",
      "::ffff:192.168.7.0/120",
    ]);
    expect(policy.refusal("127.0.0.1", "127.0.0.1")).toBeUndefined();
    expect(policy.refusal("x", "::ffff:127.0.0.1")).toBeUndefined();
    expect(policy.refusal("127.0.0.2", "127.0.0.2")).toContain("loopback");
    expect(policy.refusal("10.200.3.4", "10.200.3.4")).toBeUndefined();
    expect(policy.refusal("192.168.7.9", "192.168.7.9")).toBeUndefined();
    expect(policy.refusal("192.168.8.9", "192.168.8.9")).toContain("private");
    expect(policy.refusal("internal.example", "172.20.0.5")).toBeUndefined();
    expect(policy.refusal("other.example", "172.20.0.5")).toContain("private");
  });

  it("rejects an allow entry that is neither a host, an address nor a CIDR", () => {
    expect(() => createAddressPolicy(["10.0.0.0/33"])).toThrow(/not a valid CIDR/);
    expect(() => createAddressPolicy(["http://example.com"])).toThrow(/HOTBEAT_HTTP_TASK_ALLOW/);
  });
});
