/** One row of the benchmark table: a distribution (dist) or a single figure (scalar), and helpers. */
export const ratio = (a, b) => (a === null || b === null || !b ? null : a / b);
export const verdict = (value, target, isMax = true) =>
  value === null || value === undefined
    ? "n/a"
    : (isMax ? value <= target : value >= target)
      ? "met"
      : "MISSED";

export function dist(section, measure, d, extra = {}) {
  return {
    section,
    measure,
    unit: "ms",
    n: d?.n ?? 0,
    reps: d?.reps ?? 1,
    p50: d?.p50 ?? null,
    p99: d?.p99 ?? null,
    max: d?.max ?? null,
    value: null,
    ...extra,
  };
}
export function scalar(section, measure, value, unit, extra = {}) {
  return {
    section,
    measure,
    unit,
    n: null,
    reps: extra.reps ?? 1,
    p50: null,
    p99: null,
    max: null,
    value,
    ...extra,
  };
}
