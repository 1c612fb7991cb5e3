import type { Logger } from "../logging/createLogger.js";
import { describeStartupFailure } from "../startup.js";

/** How a long-running process stops, for {@link stopOnSignals}. */
export interface StopPlan {
  log: Logger;
  /** Logged at the first signal, with the signal. */
  stoppingMessage: string;
  /** Closes the process's roles; exit code 0 when it resolves, 1 when it rejects. */
  stop: () => Promise<void>;
  /** Past this, the process exits with 1 without waiting further: a stop must not hang. */
  deadlineMs: number;
}

/**
 * The shutdown of every `main.ts`: the first SIGTERM or SIGINT runs `stop` under a deadline and
 * exits 0 once it finished cleanly, 1 otherwise; a second signal exits 1 at once, for the person
 * who pressed Ctrl-C twice.
 */
export function stopOnSignals(plan: StopPlan): void {
  const { log } = plan;
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (isStopping) {
      log.warn({ signal }, "second signal; exiting without waiting");
      process.exit(1);
    }
    isStopping = true;
    log.info({ signal, deadlineMs: plan.deadlineMs }, plan.stoppingMessage);
    setTimeout(() => {
      log.error({ deadlineMs: plan.deadlineMs }, "stop did not finish in time; exiting");
      process.exit(1);
    }, plan.deadlineMs).unref();
    plan.stop().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, "unclean stop");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/**
 * Ends a process that could not start: one line on stderr, `label: reason`, never a stack trace,
 * whatever the log format (a person starting hotbeat reads it), and exit code 1. The reason also
 * goes to `log` when there is one yet.
 */
export function exitOnStartupFailure(label: string, error: unknown, log?: Logger): never {
  const { reason } = describeStartupFailure(error);
  log?.fatal({ reason }, `${label} cannot start`);
  process.stderr.write(`${label}: ${reason}\n`);
  process.exit(1);
}
