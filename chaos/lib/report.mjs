import { summarizeHostileRows } from "./hostileRows.mjs";
import { summarizeSsrf } from "./ssrfMatrix.mjs";

const COLUMNS = [
  ["fault", (r) => r.row, 44],
  ["times", (r) => r.times, 5],
  ["owed", (r) => r.owed, 6],
  ["once", (r) => r.once, 6],
  ["twice", (r) => r.twice, 5],
  ["never", (r) => r.never, 5],
  ["late>grace", (r) => r.lateBeyondGrace, 10],
  ["early", (r) => r.early, 5],
  ["max late s", (r) => (r.maxLateMs / 1000).toFixed(1), 10],
  ["recovery s", (r) => r.recoverySeconds ?? "-", 10],
  ["API answers (codes, max ms)", (r) => describeApi(r.api), 30],
];

function describeApi(api) {
  if (!api) return "-";
  const codes = Object.entries(api.codes)
    .map(([code, n]) => `${code}×${n}`)
    .join(" ");
  return `${codes || "none"}; ${api.maxLatencyMs} ms`;
}

const cell = (value, width) => String(value).slice(0, width).padEnd(width);

/** The table of a run, one row per fault, then the fuzz, the secrets scan and the verdict. */
export function renderTable(report) {
  const lines = [];
  lines.push(
    `hotbeat chaos, tier ${report.tier}, ${report.durationSeconds} s, ${report.schedules} schedules, ${report.instantsOwed} instants owed`,
  );
  lines.push(COLUMNS.map(([title, , w]) => cell(title, w)).join(" | "));
  lines.push(COLUMNS.map(([, , w]) => "-".repeat(w)).join("-|-"));
  for (const row of report.rows) lines.push(COLUMNS.map(([, get, w]) => cell(get(row), w)).join(" | "));
  if (report.fuzz) {
    const f = report.fuzz;
    const codes = Object.entries(f.statuses)
      .map(([c, n]) => `${c}×${n}`)
      .join(" ");
    lines.push(
      `fuzz: ${f.count} requests (seed ${f.seed}): ${codes}; 5xx or hang: ${f.serverErrors.length}; accepted writes: ${f.accepted.length}; rows changed by a refused request: ${f.changedByRefused.length}; max ${f.maxLatencyMs} ms`,
    );
  }
  const hostile = summarizeHostileRows(report.hostileRows).line;
  if (hostile) lines.push(hostile);
  const ssrf = summarizeSsrf(report.ssrf).line;
  if (ssrf) lines.push(ssrf);
  if (report.secrets)
    lines.push(
      `secrets: ${report.secrets.linesScanned} log lines of every process scanned, lines holding a planted secret: ${report.secrets.hits}`,
    );
  lines.push(
    report.failures.length === 0 ? "verdict: PASS" : `verdict: FAIL\n  - ${report.failures.join("\n  - ")}`,
  );
  return `${lines.join("\n")}\n`;
}

/** What makes the run fail: a double run, a lost instant, a 5xx or hang in the fuzz, a leak. */
export function listFailures(report) {
  const failures = [];
  for (const row of report.rows) {
    if (row.twice > 0) failures.push(`${row.row}: ${row.twice} instants run twice`);
    if (row.never > 0) failures.push(`${row.row}: ${row.never} owed instants never run`);
    if (row.spurious > 0) failures.push(`${row.row}: ${row.spurious} fires of instants not owed`);
    const hangs = row.api?.codes.timeout ?? 0;
    if (hangs > 0) failures.push(`${row.row}: ${hangs} API probes got no answer within 10 s`);
  }
  if (report.fuzz?.serverErrors.length)
    failures.push(`fuzz: ${report.fuzz.serverErrors.length} answers ≥ 500 or hangs`);
  if (report.fuzz?.changedByRefused.length)
    failures.push(`fuzz: rows changed by refused requests: ${report.fuzz.changedByRefused.join(", ")}`);
  failures.push(...summarizeHostileRows(report.hostileRows).failures);
  failures.push(...summarizeSsrf(report.ssrf).failures);
  if (report.secrets?.hits) failures.push(`secrets: ${report.secrets.hits} log lines hold a planted secret`);
  return failures;
}
