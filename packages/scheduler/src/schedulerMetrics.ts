import {
  Counter,
  createMetricsRegistry,
  Gauge,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  renderMetrics,
  type MetricsRegistry,
} from "@hotbeat/shared";

/** What the self-check repairs, the `reason` label of `hotbeat_selfcheck_repairs_total`. */
export type SelfCheckReason = "missing_from_timeline" | "stuck_in_timeline" | "instant_without_run";

/**
 * The scheduler's metrics in a registry of their own. The counts are plain fields the fire path
 * bumps; prom-client reads them at each scrape.
 */
export class SchedulerMetrics {
  readonly registry: MetricsRegistry = createMetricsRegistry();
  readonly changeAppliedLatency = new Histogram({
    name: "hotbeat_scheduler_change_applied_latency_seconds",
    help: "Time from a schedule change (its updated_at) to this scheduler applying it.",
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [this.registry],
  });
  readonly fireLateness = new Histogram({
    name: "hotbeat_scheduler_fire_lateness_seconds",
    help: "Time from a fire's nominal instant to its run being enqueued.",
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [this.registry],
  });
  firesTotal = 0;
  misfiresTotal = 0;
  resyncsTotal = 0;
  schedulesHeld = 0;
  schedulesInvalid = 0;
  /** The self-check's repairs, by what it found (see selfCheck.ts and checkRunRows.ts). */
  readonly selfcheckRepairs: Record<SelfCheckReason, number> = {
    missing_from_timeline: 0,
    stuck_in_timeline: 0,
    instant_without_run: 0,
  };
  isLeader = false;

  constructor() {
    this.gauge(
      "hotbeat_scheduler_schedules_held",
      "Enabled schedules in this scheduler's timeline.",
      () => this.schedulesHeld,
    );
    this.gauge(
      "hotbeat_schedules_invalid",
      "Enabled schedules this scheduler cannot fire (a bad instant, zone or cron): see the logs.",
      () => this.schedulesInvalid,
    );
    this.gauge("hotbeat_scheduler_is_leader", "1 when this scheduler holds the leader lease.", () =>
      this.isLeader ? 1 : 0,
    );
    const repairs = this.selfcheckRepairs;
    new Counter({
      name: "hotbeat_selfcheck_repairs_total",
      help: "What the leader's self-check found and repaired: a schedule missing from or stuck in the timeline (re-placed), a due instant older than its grace without a run row (recorded).",
      labelNames: ["reason"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, count] of Object.entries(repairs)) this.inc({ reason }, count);
      },
    });
    this.counter(
      "hotbeat_scheduler_fires_total",
      "Runs recorded and enqueued by this scheduler.",
      () => this.firesTotal,
    );
    this.counter(
      "hotbeat_scheduler_misfires_total",
      "Fire instants found later than their grace.",
      () => this.misfiresTotal,
    );
    this.counter(
      "hotbeat_scheduler_resyncs_total",
      "Full reloads of every schedule.",
      () => this.resyncsTotal,
    );
  }

  /** The Prometheus text of these metrics and of the process metrics. */
  render(): Promise<string> {
    return renderMetrics([this.registry]);
  }

  private gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  private counter(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      // The field only grows, so the counter stays monotonic for Prometheus.
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }
}
