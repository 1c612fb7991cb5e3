/** The longest stretch of work a large pass does before it lets the event loop through. */
export const TURN_BUDGET_MS = 20;

/**
 * Cuts a pass over many schedules into turns of the event loop of about {@link TURN_BUDGET_MS}
 * each, so that timers, messages and (in the all-in-one process) HTTP requests get through:
 * `if (turns.isOver) await turns.next();` between two items.
 *
 * A turn is bounded by time rather than by a count of items: a schedule whose expression is met
 * for the first time costs ten times one whose parse is cached, and 2,000 rows a turn stalled
 * the loop for 40 ms or for 290 ms depending on which it met.
 */
export class TurnSlicer {
  private startedAtMs: number;

  /** `nowMs` reads the CPU's clock (performance.now), not the schedules' clock. */
  constructor(
    private readonly budgetMs = TURN_BUDGET_MS,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.startedAtMs = nowMs();
  }

  /** Whether this turn has used its budget. */
  get isOver(): boolean {
    return this.nowMs() - this.startedAtMs >= this.budgetMs;
  }

  /** Resolves in a later turn of the event loop, with a fresh budget. */
  async next(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.startedAtMs = this.nowMs();
  }
}
