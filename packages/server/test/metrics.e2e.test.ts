import type { ChildProcess } from "node:child_process";
import { LATENCY_BUCKETS_SECONDS } from "@hotbeat/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, redisUrl, uniqueId } from "../../../test/helpers.js";
import { eventually, spawnBuilt, waitForExit, waitForLine } from "../../../test/processes.js";
import { parsePrometheusText, type MetricFamily } from "../../../test/prometheusText.js";

// `npm start`'s process serves one /metrics for its three roles: the registries of the API, the
// scheduler and the worker merged, with the process metrics once.
let server: ChildProcess;
let base: string;

beforeAll(async () => {
  const t = await createTestDatabase();
  server = spawnBuilt("packages/server/dist/main.js", {
    DATABASE_URL: t.url,
    REDIS_URL: redisUrl(),
    HOTBEAT_PORT: "0",
    HOTBEAT_REDIS_NAMESPACE: uniqueId("metrics"),
  });
  const line = await waitForLine(server, /"msg":"api listening"/);
  base = (JSON.parse(line) as { url: string }).url;
});
afterAll(async () => {
  server.kill("SIGTERM");
  await waitForExit(server);
});

async function scrape(): Promise<{ contentType: string | null; families: Map<string, MetricFamily> }> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return {
    contentType: response.headers.get("content-type"),
    families: parsePrometheusText(await response.text()),
  };
}

const bucketBounds = (family: MetricFamily | undefined) => [
  ...new Set(
    family?.samples.filter((s) => s.name.endsWith("_bucket")).map((s) => /le="([^"]+)"/.exec(s.labels)![1]),
  ),
];

describe("the all-in-one /metrics", () => {
  it("shows the API's, the scheduler's and the worker's metrics, and the process metrics once", async () => {
    const created = await fetch(`${base}/api/v1/schedules`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "every_second", task: "log", cron: "* * * * * *" }),
    });
    expect(created.status).toBe(201);
    // A run finished in the child's worker: its counter has a sample (parsing throws on a name
    // declared twice, so the process metrics are there once).
    const { contentType, families } = await eventually(async () => {
      const scraped = await scrape();
      const finished = scraped.families.get("hotbeat_worker_runs_finished_total")?.samples ?? [];
      return finished.some((s) => s.labels.includes('status="succeeded"')) ? scraped : undefined;
    });
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    for (const name of [
      "hotbeat_http_requests_total",
      "hotbeat_http_request_duration_seconds",
      "hotbeat_schedule_writes_total",
      "hotbeat_scheduler_change_applied_latency_seconds",
      "hotbeat_scheduler_fire_lateness_seconds",
      "hotbeat_scheduler_fires_total",
      "hotbeat_scheduler_schedules_held",
      "hotbeat_schedules_invalid",
      "hotbeat_scheduler_is_leader",
      "hotbeat_worker_attempts_total",
      "hotbeat_worker_attempt_duration_seconds",
      "hotbeat_worker_runs_finished_total",
      "process_cpu_user_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_seconds",
      "nodejs_heap_size_used_bytes",
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(families.get("hotbeat_schedule_writes_total")!.samples).toEqual([
      { name: "hotbeat_schedule_writes_total", labels: '{op="create"}', value: 1 },
    ]);
    expect(families.get("hotbeat_scheduler_fires_total")!.samples[0]!.value).toBeGreaterThan(0);
  });

  it("uses one set of histogram buckets for every role", async () => {
    const { families } = await scrape();
    const expected = [...LATENCY_BUCKETS_SECONDS.map(String), "+Inf"];
    for (const name of [
      "hotbeat_http_request_duration_seconds",
      "hotbeat_scheduler_fire_lateness_seconds",
      "hotbeat_worker_attempt_duration_seconds",
    ]) {
      expect(bucketBounds(families.get(name)), name).toEqual(expected);
    }
  });
});
