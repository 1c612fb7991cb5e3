import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/loadConfig.js";
import { ConfigError } from "../src/errors.js";

describe("loadConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: "postgres://postgres@127.0.0.1:5432/hotbeat",
      redisUrl: "redis://127.0.0.1:6379",
      host: "127.0.0.1",
      port: 3000,
      apiToken: undefined,
      defaultTimezone: "UTC",
      pollIntervalMs: 60_000,
      workerConcurrency: 100,
      httpTaskAllow: [],
      schedulerMetricsPort: undefined,
      workerMetricsPort: undefined,
      redisNamespace: "hotbeat",
      logLevel: "info",
      logFormat: undefined,
      rateLimitPerMinute: 1200,
      apiUrl: "http://127.0.0.1:3000",
      alertUrl: undefined,
      alertAfterFailures: 3,
    });
  });

  it("reads every variable and splits the allow list", () => {
    const config = loadConfig({
      HOTBEAT_PORT: "8080",
      HOTBEAT_DEFAULT_TIMEZONE: "Asia/Ho_Chi_Minh",
      HOTBEAT_HTTP_TASK_ALLOW: "127.0.0.1, 10.0.0.0/8 ,,hooks.internal",
      HOTBEAT_API_TOKEN: "0123456789abcdef",
      HOTBEAT_POLL_INTERVAL_MS: "5000",
    });
    expect(config.port).toBe(8080);
    expect(config.defaultTimezone).toBe("Asia/Ho_Chi_Minh");
    expect(config.httpTaskAllow).toEqual(["127.0.0.1", "10.0.0.0/8", "hooks.internal"]);
    expect(config.apiToken).toBe("0123456789abcdef");
    expect(config.pollIntervalMs).toBe(5000);
  });

  it("reads the port a standalone worker serves its metrics on", () => {
    expect(loadConfig({ HOTBEAT_WORKER_METRICS_PORT: "9466" }).workerMetricsPort).toBe(9466);
    expect(() => loadConfig({ HOTBEAT_WORKER_METRICS_PORT: "0" })).toThrow(/HOTBEAT_WORKER_METRICS_PORT/);
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ HOTBEAT_PORT: "", HOTBEAT_API_TOKEN: " " }).port).toBe(3000);
  });

  it("reads LOG_FORMAT and HOTBEAT_RATE_LIMIT, 0 included", () => {
    expect(loadConfig({ LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
    expect(loadConfig({ LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(loadConfig({ HOTBEAT_RATE_LIMIT: "0" }).rateLimitPerMinute).toBe(0);
    expect(loadConfig({ HOTBEAT_RATE_LIMIT: "50" }).rateLimitPerMinute).toBe(50);
  });

  it("reads the default alert target and its failure count", () => {
    const config = loadConfig({
      HOTBEAT_ALERT_URL: "https://hooks.example.com/hotbeat",
      HOTBEAT_ALERT_AFTER_FAILURES: "5",
    });
    expect(config.alertUrl).toBe("https://hooks.example.com/hotbeat");
    expect(config.alertAfterFailures).toBe(5);
  });

  it("refuses a LOG_FORMAT other than pretty or json in one line that names it", () => {
    expect(() => loadConfig({ LOG_FORMAT: "yaml" })).toThrow(/^LOG_FORMAT: must be pretty or json$/);
  });

  it.each([
    ["HOTBEAT_PORT", "70000"],
    ["HOTBEAT_PORT", "12ab"],
    ["DATABASE_URL", "mysql://localhost/x"],
    ["REDIS_URL", "not a url"],
    ["HOTBEAT_DEFAULT_TIMEZONE", "Mars/Olympus"],
    ["HOTBEAT_POLL_INTERVAL_MS", "-5"],
    ["HOTBEAT_WORKER_CONCURRENCY", "0"],
    ["HOTBEAT_API_TOKEN", "short"],
    ["LOG_LEVEL", "loud"],
    ["HOTBEAT_URL", "ftp://x"],
    ["HOTBEAT_REDIS_NAMESPACE", "a:b"],
    ["LOG_FORMAT", "yaml"],
    ["HOTBEAT_RATE_LIMIT", "-1"],
    ["HOTBEAT_RATE_LIMIT", "lots"],
    ["HOTBEAT_ALERT_URL", "ftp://hooks.example.com"],
    ["HOTBEAT_ALERT_URL", "not a url"],
    ["HOTBEAT_ALERT_AFTER_FAILURES", "0"],
    ["HOTBEAT_ALERT_AFTER_FAILURES", "1001"],
    ["HOTBEAT_ALERT_AFTER_FAILURES", "three"],
  ])("stops with a message naming %s when it is %j", (variable, value) => {
    let caught: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
  });
});
