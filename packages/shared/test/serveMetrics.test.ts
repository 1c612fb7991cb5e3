import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createMetricsRegistry, Counter, renderMetrics, serveMetrics } from "../src/index.js";
import { testLogger } from "../../../test/helpers.js";

describe("serveMetrics", () => {
  it("answers GET /metrics with the role's and the process's metrics, and 404 elsewhere", async () => {
    const registry = createMetricsRegistry();
    new Counter({ name: "hotbeat_test_served_total", help: "a test counter", registers: [registry] }).inc(2);
    const server = serveMetrics({
      render: () => renderMetrics([registry]),
      host: "127.0.0.1",
      port: 0,
      log: testLogger(),
    });
    try {
      await new Promise<void>((resolve) =>
        server.listening ? resolve() : server.once("listening", resolve),
      );
      const { port } = server.address() as AddressInfo;
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await metrics.text();
      expect(text).toContain("hotbeat_test_served_total 2");
      expect(text).toContain("process_cpu_user_seconds_total");
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
