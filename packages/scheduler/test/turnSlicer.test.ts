import { describe, expect, it } from "vitest";
import { TurnSlicer } from "../src/sync/turnSlicer.js";

/** A slicer of a 20 ms budget over a clock the test moves. */
function slicerAt(startMs: number) {
  const clock = { nowMs: startMs };
  return { clock, turns: new TurnSlicer(20, () => clock.nowMs) };
}

describe("TurnSlicer", () => {
  it("says a turn is over once its budget is used, and not before", () => {
    const { clock, turns } = slicerAt(1000);
    clock.nowMs = 1019.9;
    expect(turns.isOver).toBe(false);
    clock.nowMs = 1020;
    expect(turns.isOver).toBe(true);
  });

  it("lets what was waiting on the event loop run before the next turn starts", async () => {
    const order: string[] = [];
    const { turns } = slicerAt(0);
    setImmediate(() => order.push("waiting"));
    await turns.next();
    order.push("next turn");
    expect(order).toEqual(["waiting", "next turn"]);
  });

  it("starts each turn with a fresh budget, counted from when the turn starts", async () => {
    const { clock, turns } = slicerAt(1000);
    clock.nowMs = 1050;
    expect(turns.isOver).toBe(true);
    await turns.next();
    expect(turns.isOver).toBe(false);
    clock.nowMs = 1069;
    expect(turns.isOver).toBe(false);
    clock.nowMs = 1070;
    expect(turns.isOver).toBe(true);
  });
});
