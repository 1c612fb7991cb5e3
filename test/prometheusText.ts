/** One metric family of a Prometheus text exposition. */
export interface MetricFamily {
  type: string;
  samples: Array<{ name: string; labels: string; value: number }>;
}

const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|Nan|[+-]Inf)$/;
const SUFFIXES = ["_bucket", "_sum", "_count", ""];

/**
 * Parses the Prometheus text format strictly, throwing on the first line that is not a HELP, a
 * TYPE or a sample of a family declared before it, and on a family declared twice.
 */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  for (const line of text.split("\n").filter(Boolean)) {
    if (line.startsWith("# HELP ")) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (families.has(type[1]!)) throw new Error(`${type[1]} is declared twice`);
      families.set(type[1]!, { type: type[2]!, samples: [] });
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a Prometheus line: ${line}`);
    const name = sample[1]!;
    const family = SUFFIXES.map((suffix) => families.get(name.slice(0, name.length - suffix.length)))
      .filter((found, i) => found && name.endsWith(SUFFIXES[i]!))
      .at(0);
    if (!family) throw new Error(`${name} has no TYPE before it`);
    family.samples.push({ name, labels: sample[2] ?? "", value: Number(sample[3]) });
  }
  return families;
}
