import postgres from "postgres";
import { createApiClient, sleep, wallNowMs } from "./apiClient.mjs";
import { diffDumps, dumpDefinitions } from "./dump.mjs";
import { runFuzz } from "./fuzz.mjs";
import { countMissing } from "./ledger.mjs";

// The phases of a run after the timeline: the fuzz, and the drain that decides "never".

/** Waits, woken by each arrival at the oracle, until every owed instant is in or `drainMs` passed. */
export async function drain(context, drainMs) {
  const deadlineMs = wallNowMs() + drainMs;
  let missing = countMissing(context);
  while (missing > 0 && wallNowMs() < deadlineMs) {
    // Woken by the next arrival at the oracle, or after a second at most.
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 1000);
      context.oracle.events.once("arrival", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    missing = countMissing(context);
  }
  return missing;
}

/**
 * Waits until no run owed before the end is still queued or running (schedules keep firing
 * meanwhile, so the queue itself never empties): by SQL when the database is known, else
 * through the API's newest unfinished runs.
 */
export async function waitForOwedRunsFinished(api, databaseUrl, endMs, timeoutMs) {
  const deadlineMs = wallNowMs() + timeoutMs;
  const sql = databaseUrl ? postgres(databaseUrl, { max: 1, onnotice: () => undefined }) : null;
  try {
    while (wallNowMs() < deadlineMs) {
      let pending;
      if (sql) {
        const [row] = await sql`
          SELECT count(*)::int AS n FROM runs
          WHERE status IN ('queued', 'running') AND scheduled_at <= ${new Date(endMs)}`.catch(() => [
          { n: -1 },
        ]);
        pending = row.n;
      } else {
        const answers = await Promise.all(
          ["queued", "running"].map((s) => api.get(`/api/v1/runs?status=${s}&limit=200`)),
        );
        pending = answers
          .flatMap((a) => a.body?.runs ?? [])
          .filter((r) => Date.parse(r.scheduledAt) <= endMs).length;
      }
      if (pending === 0) return true;
      await sleep(1000);
    }
    return false;
  } finally {
    await sql?.end({ timeout: 2 });
  }
}

export async function runFuzzPhase({
  deployment,
  apiUrl,
  token,
  databaseUrl,
  targets,
  count,
  seed,
  progress,
}) {
  const before = databaseUrl ? await dumpDefinitions(databaseUrl) : null;
  let url = apiUrl;
  let extra;
  if (deployment) {
    extra = await deployment.startExtraApi();
    url = extra.url;
  }
  // A few requests to the API of the deployment itself, without or with a wrong token: 401.
  const unauthorized = [];
  for (const token of [undefined, "wrong-token-0123456789", "x"]) {
    const probe = createApiClient(deployment?.apiUrl ?? url, token);
    unauthorized.push(
      (await probe.post("/api/v1/schedules", { name: "fz-unauth", task: "log", cron: "* * * * *" })).status,
    );
  }
  const result = await runFuzz({
    url,
    token: deployment ? undefined : token,
    count,
    seed,
    targets,
    progress,
  });
  if (extra) await extra.proc.kill();
  const after = databaseUrl ? await dumpDefinitions(databaseUrl) : null;
  const acceptedNames = new Set(result.accepted.flatMap((a) => namesInRequest({ ...a, body: a.fullBody })));
  for (const a of result.accepted) delete a.fullBody;
  const changed = before && after ? diffDumps(before, after) : [];
  const changedByRefused = changed.filter((name) => !acceptedNames.has(name) && !name.startsWith("edit-"));
  return { ...result, unauthorized, changed, changedByRefused };
}

/** Every schedule name an accepted request may have written: in its path, or in its body (import). */
function namesInRequest(request) {
  const names = [...(request.body ?? "").matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]);
  const fromPath = /\/(?:api\/v1\/schedules|update_schedule)\/([^/?]+)/.exec(request.path)?.[1];
  if (fromPath) names.push(decodeURIComponent(fromPath));
  return names;
}
