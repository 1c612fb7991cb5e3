import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createApiClient, sleep, startApiProbe, wallNowMs } from "./lib/apiClient.mjs";
import { createChangeDriver } from "./lib/changes.mjs";
import { createTeardown, startDeployment } from "./lib/deployment.mjs";
import { CLOCK_FAULTS } from "./lib/clockFaults.mjs";
import { FAULTS } from "./lib/faults.mjs";
import { countMissing, scoreRun } from "./lib/ledger.mjs";
import { drain, runFuzzPhase, waitForOwedRunsFinished } from "./lib/phases.mjs";
import { startOracle } from "./lib/oracle.mjs";
import { listFailures, renderTable } from "./lib/report.mjs";
import { buildScheduleBody, planStableSchedules } from "./lib/schedules.mjs";
import { plantSecrets, scanLogs, secretHeaders } from "./lib/secrets.mjs";
import { TIERS } from "./lib/tiers.mjs";

/**
 * `npm run chaos`: hotbeat under faults, scored by an independent oracle. See chaos/README.md.
 * Progress on stderr, the table on stdout, the same figures in chaos/results.json; exit 1 when
 * any instant ran twice or never, a fuzz request got a 5xx, or a secret reached a log.
 */
const { values: flags } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    long: { type: "boolean", default: false },
    "database-url": { type: "string" },
    "redis-url": { type: "string" },
    "api-url": { type: "string" },
    token: { type: "string" },
    "oracle-host": { type: "string" },
    fuzz: { type: "string" },
    seed: { type: "string" },
    "no-faults": { type: "boolean", default: false },
    only: { type: "string" },
    "keep-logs": { type: "boolean", default: false },
  },
});
const tierName = flags.long ? "long" : flags.short ? "short" : "default";
const tier = TIERS[tierName];
const isExternal = Boolean(flags["api-url"]);
// The private deployment's oracle is on a loopback address of its own, the only one its workers
// may reach: 127.0.0.1 and every other encoding of loopback stay refused, for the SSRF matrix.
const oracleHost = flags["oracle-host"] ?? (isExternal ? "127.0.0.1" : "127.0.0.9");
const SETTLE_MS = 3000;
const MARGIN_MS = 3000;
const POLL_INTERVAL_MS = 60_000;
const startedMs = wallNowMs();

function progress(message) {
  const elapsed = ((wallNowMs() - startedMs) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[chaos ${elapsed}s] ${message}\n`);
}

/** libfaketime's library for the clock steps (installed if missing), or undefined with the reason. */
function findFakeTime() {
  const found = spawnSync("bash", [new URL("../scripts/ensure-faketime.sh", import.meta.url).pathname], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (found.status === 0) return found.stdout.trim();
  progress(`no libfaketime, the clock steps cannot be done: ${found.stderr.trim()}`);
  return undefined;
}

async function createStable(api, oracleUrl, plans, secrets) {
  const stable = [];
  for (const plan of plans) {
    const extra = plan.secret
      ? { headers: secretHeaders(secrets), query: { failFirst: "1", record: "1" } }
      : {};
    const requestedMs = wallNowMs();
    const answer = await api.post(
      "/api/v1/schedules?wait=applied&timeoutMs=5000",
      buildScheduleBody(plan, oracleUrl, extra),
    );
    if (answer.status !== 201)
      throw new Error(`creating ${plan.name}: ${answer.status} ${JSON.stringify(answer.body)}`);
    // Owed from the answer on; no fire can be for an instant before the request was sent.
    stable.push({ ...plan, requestedMs, createdMs: wallNowMs() });
  }
  return stable;
}

async function main() {
  progress(
    `tier ${tierName}; ${cpus().length} cores, load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );
  const teardown = createTeardown();
  const failures = [];
  const only = flags.only?.split(",");
  const timeline = flags["no-faults"]
    ? []
    : tier.timeline.filter((s) => !only || only.some((part) => s.fault.includes(part)));
  const fakeTimeLib =
    !isExternal && timeline.some((s) => s.fault in CLOCK_FAULTS) ? findFakeTime() : undefined;
  const deployment = isExternal
    ? null
    : await startDeployment({
        teardown,
        progress,
        keepLogs: flags["keep-logs"],
        allowHost: oracleHost,
        fakeTimeLib,
      });
  const databaseUrl = deployment?.pg.url ?? flags["database-url"];
  const api = createApiClient(deployment?.apiUrl ?? flags["api-url"], deployment?.token ?? flags.token);
  const oracle = await startOracle(oracleHost);
  progress(`oracle listening on ${oracle.url}`);
  const secrets = plantSecrets();
  const anchorAt = new Date(Math.ceil(wallNowMs() / 1000) * 1000 + 2000).toISOString();
  const plans = [
    ...planStableSchedules(tierName, anchorAt),
    { name: "secret-headers", cron: "*/2 * * * * *", secret: true },
  ];
  const stable = await createStable(api, oracle.url, plans, secrets);
  const targets = ["fz-target-1", "fz-target-2", "fz-target-3"];
  for (const name of targets)
    await api.post("/api/v1/schedules", { name, task: "log", cron: "0 3 1 1 *", enabled: false });
  const changes = createChangeDriver({
    api,
    databaseUrl,
    oracleUrl: oracle.url,
    anchorAt,
    pollIntervalMs: POLL_INTERVAL_MS,
  });
  if (tier.changes) {
    await changes.create();
    changes.start(6000, 90_000);
  }
  progress(
    `${stable.length} stable schedules${tier.changes ? ` and ${changes.plans.length} edited ones` : ""} created`,
  );
  const probe = startApiProbe(api, `/api/v1/schedules/${stable[0].name}`);
  const events = [];
  // `finishers`: the second half of steps whose outcome is read after the timeline.
  const ctx = { api, deployment, oracle, oracleHost, tier, workerTurn: 0, finishers: [] };
  await sleep(tier.baselineMs);
  for (const { fault, gapMs } of deployment ? timeline : []) {
    progress(`fault: ${fault}`);
    try {
      events.push({ row: fault, ...(await FAULTS[fault](ctx)) });
    } catch (error) {
      failures.push(`${fault} could not be done: ${error.message}`);
      progress(`fault ${fault} failed: ${error.stack}`);
    }
    await sleep(gapMs);
  }
  for (const finish of ctx.finishers) await finish();
  const count = Number(flags.fuzz ?? tier.fuzzCount);
  const seed = Number(flags.seed ?? Math.floor(Math.random() * 2 ** 31));
  progress(`fuzz: ${count} requests, seed ${seed}`);
  const fuzzStartMs = wallNowMs();
  const fuzz = await runFuzzPhase({
    deployment,
    apiUrl: flags["api-url"],
    token: flags.token,
    databaseUrl,
    targets,
    count,
    seed,
    progress,
  });
  events.push({ row: `API fuzz (${count} requests)`, startMs: fuzzStartMs, endMs: wallNowMs() });
  await sleep(tier.tailMs);
  await changes.stop();
  const endMs = wallNowMs();
  const context = {
    stable,
    windows: changes.windows,
    oracle,
    events,
    endMs,
    settleMs: SETTLE_MS,
    marginMs: MARGIN_MS,
  };
  progress(`draining: ${countMissing(context)} owed instants not yet at the oracle`);
  const stillMissing = await drain(context, tier.drainMs);
  const queueEmpty = await waitForOwedRunsFinished(api, databaseUrl, endMs - MARGIN_MS, 60_000);
  progress(
    `drained in ${((wallNowMs() - endMs) / 1000).toFixed(1)} s; missing ${stillMissing}; every owed run finished: ${queueEmpty}`,
  );
  await probe.stop();
  const rows = scoreRun({ ...context, probe });
  const secretsScan = deployment ? scanLogs(deployment.logDir, secrets) : null;
  const secretArrived = oracle.headersSeen.some(
    (h) => h.authorization === `Bearer ${secrets.token}` && h["x-api-key"] === secrets.headerValue,
  );
  if (!secretArrived) failures.push("the planted headers never reached their target");
  const report = {
    tier: tierName,
    startedAt: new Date(startedMs).toISOString(),
    durationSeconds: Math.round((wallNowMs() - startedMs) / 1000),
    machine: { cpus: cpus().length, loadAverageAtEnd: loadavg().map((v) => Number(v.toFixed(2))) },
    deployment: deployment
      ? "private: 1 API, 3 schedulers, 2 workers, private PostgreSQL and Redis"
      : `external: ${flags["api-url"]}`,
    schedules: stable.length + (tier.changes ? changes.plans.length : 0),
    instantsOwed: rows.reduce((n, r) => n + r.owed, 0),
    oracleDeliveries: oracle.deliveries(),
    rows,
    fuzz,
    secrets: secretsScan,
    hostileRows: ctx.hostileRows ?? null,
    ssrf: ctx.ssrf ?? null,
    changes: tier.changes ? changes.log : [],
    events: events.map((e) => ({
      ...e,
      startAt: new Date(e.startMs).toISOString(),
      endAt: new Date(e.endMs).toISOString(),
    })),
    restarts: deployment?.processes.map((p) => ({ name: p.name, restarts: p.restarts })),
  };
  report.failures = [...failures, ...listFailures(report)];
  process.stdout.write(renderTable(report));
  await writeFile(new URL("./results.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  await oracle.close();
  teardown.run();
  progress(`done in ${report.durationSeconds} s; the same figures in chaos/results.json`);
  return report.failures.length === 0;
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error) => {
    process.stderr.write(`chaos failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
