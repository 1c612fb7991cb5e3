import { beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText } from "../../../test/prometheusText.js";
import { createTestApi, type TestApi } from "./testApi.js";

let t: TestApi;

beforeAll(async () => {
  t = await createTestApi();
});

describe("the API's /metrics", () => {
  it("is prom-client's Prometheus text with the API's metrics and the process metrics", async () => {
    await t.app.inject({ url: "/health" });
    const response = await t.app.inject({ url: "/metrics" });
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parsePrometheusText(response.body);
    expect(families.get("hotbeat_http_requests_total")?.type).toBe("counter");
    expect(families.get("hotbeat_http_request_duration_seconds")?.type).toBe("histogram");
    expect(families.get("hotbeat_schedule_writes_total")?.type).toBe("counter");
    expect(families.get("process_cpu_user_seconds_total")?.type).toBe("counter");
    expect(families.get("nodejs_eventloop_lag_seconds")?.type).toBe("gauge");
  });
});
