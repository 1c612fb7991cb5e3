const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** A Prometheus histogram kept in process: cumulative bucket counts, sum and count. */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  private readonly samples: number[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[] = LATENCY_BUCKETS_SECONDS,
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((bound, i) => {
      if (value <= bound) this.counts[i]! += 1;
    });
    // A bounded window of recent samples, only for quantiles in status and test reports.
    this.samples.push(value);
    if (this.samples.length > 1000) this.samples.shift();
  }

  /** The q-quantile of the recent samples, or undefined before the first. */
  quantile(q: number): number | undefined {
    if (this.samples.length === 0) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket{le="${bound}"} ${this.counts[i]}`));
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return lines.join("\n");
  }
}

/** The scheduler's metrics; `render` gives the Prometheus text exposition format. */
export class SchedulerMetrics {
  readonly changeAppliedLatency = new Histogram(
    "hotbeat_scheduler_change_applied_latency_seconds",
    "Time from a schedule change (its updated_at) to this scheduler applying it.",
  );
  readonly fireLateness = new Histogram(
    "hotbeat_scheduler_fire_lateness_seconds",
    "Time from a fire's nominal instant to its run being enqueued.",
  );
  firesTotal = 0;
  misfiresTotal = 0;
  resyncsTotal = 0;
  schedulesHeld = 0;
  schedulesInvalid = 0;
  selfcheckRepairsTotal = 0;
  isLeader = false;

  render(): string {
    const gauge = (name: string, help: string, type: "gauge" | "counter", value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}`;
    return (
      [
        this.changeAppliedLatency.render(),
        this.fireLateness.render(),
        gauge(
          "hotbeat_scheduler_schedules_held",
          "Enabled schedules in this scheduler's timeline.",
          "gauge",
          this.schedulesHeld,
        ),
        gauge(
          "hotbeat_schedules_invalid",
          "Enabled schedules this scheduler cannot fire (a bad instant, zone or cron): see the logs.",
          "gauge",
          this.schedulesInvalid,
        ),
        gauge(
          "hotbeat_selfcheck_repairs_total",
          "Schedules the leader's self-check found missing or stuck in the timeline and re-placed.",
          "counter",
          this.selfcheckRepairsTotal,
        ),
        gauge(
          "hotbeat_scheduler_is_leader",
          "1 when this scheduler holds the leader lease.",
          "gauge",
          this.isLeader ? 1 : 0,
        ),
        gauge(
          "hotbeat_scheduler_fires_total",
          "Runs recorded and enqueued by this scheduler.",
          "counter",
          this.firesTotal,
        ),
        gauge(
          "hotbeat_scheduler_misfires_total",
          "Fire instants found later than their grace.",
          "counter",
          this.misfiresTotal,
        ),
        gauge(
          "hotbeat_scheduler_resyncs_total",
          "Full reloads of every schedule.",
          "counter",
          this.resyncsTotal,
        ),
      ].join("\n") + "\n"
    );
  }
}
