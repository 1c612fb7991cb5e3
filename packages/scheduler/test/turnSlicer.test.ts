import { describe, expect, it } from "vitest";
import { TurnSlicer } from "../src/sync/turnSlicer.js";

describe("TurnSlicer", () => {
  it("says a turn is over once its budget is used, and not before", () => {
    expect(new TurnSlicer(0).isOver).toBe(true);
    expect(new TurnSlicer(3_600_000).isOver).toBe(false);
  });

  it("lets what was waiting on the event loop run before the next turn starts", async () => {
    const order: string[] = [];
    const turns = new TurnSlicer(0);
    setImmediate(() => order.push("waiting"));
    await turns.next();
    order.push("next turn");
    expect(order).toEqual(["waiting", "next turn"]);
  });

  it("starts each turn with a fresh budget", async () => {
    const turns = new TurnSlicer(3_600_000);
    // Spend the budget as if an hour had passed, then move on.
    (turns as unknown as { startedAtMs: number }).startedAtMs -= 3_600_000;
    expect(turns.isOver).toBe(true);
    await turns.next();
    expect(turns.isOver).toBe(false);
  });
});
