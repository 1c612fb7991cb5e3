/** The benchmark table as plain text (also valid Markdown), from buildReport's rows. */
function format(value) {
  if (value === null || value === undefined) return "";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100
    ? Math.round(value).toLocaleString("en-US")
    : abs >= 10
      ? value.toFixed(1)
      : value.toFixed(2);
}

/** The one table, as plain text (also valid Markdown). */
export function renderTable(report) {
  const header = [
    "section",
    "measure",
    "n × reps",
    "p50",
    "p99",
    "max",
    "value",
    "unit",
    "target",
    "verdict",
    "note",
  ];
  const lines = report.rows.map((r) => [
    r.section,
    r.measure,
    r.n === null || r.n === undefined ? `${r.reps ?? 1} reps` : `${r.n} (${r.reps} reps)`,
    format(r.p50),
    format(r.p99),
    format(r.max),
    format(r.value),
    r.unit,
    r.target ?? "",
    r.verdict ?? "",
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) =>
    `| ${cells.map((c, i) => (i >= 3 && i <= 6 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join(" | ")} |`;
  const m = report.machine;
  return [
    `hotbeat bench — ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverageAtStart.join(" ")} at start, ${m.loadAverageAtEnd?.join(" ") ?? "?"} at end; ${report.durationSeconds} s`,
    row(header),
    `|${widths.map((w, i) => (i >= 3 && i <= 6 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`,
    ...lines.map(row),
    "",
  ].join("\n");
}
