import {
  Counter,
  createMetricsRegistry,
  Gauge,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  renderMetrics,
  type MetricsRegistry,
} from "@hotbeat/shared";

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
  selfcheckRepairsTotal = 0;
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
    this.counter(
      "hotbeat_selfcheck_repairs_total",
      "Schedules the leader's self-check found missing or stuck in the timeline and re-placed.",
      () => this.selfcheckRepairsTotal,
    );
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
