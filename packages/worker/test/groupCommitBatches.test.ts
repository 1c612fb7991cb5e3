import { describe, expect, it } from "vitest";
import { createGroupCommit, MAX_BATCHES_IN_FLIGHT } from "../src/groupCommit.js";

/** A writeBatch whose statements stay in flight until the test answers them. */
function controlledWrites() {
  const statements: Array<{ keys: string[]; answer: () => void; fail: (error: Error) => void }> = [];
  const writeBatch = (keys: string[]) =>
    new Promise<Map<string, string>>((resolve, reject) => {
      statements.push({
        keys,
        answer: () => resolve(new Map(keys.map((key) => [key, `written ${key}`]))),
        fail: reject,
      });
    });
  return { statements, write: createGroupCommit((key: string) => key, writeBatch) };
}

/** Lets the group commit's scheduled batch (setImmediate) go out. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("group commit: statements in flight", () => {
  it("sends the writes of one turn as one statement", async () => {
    const { statements, write } = controlledWrites();
    const answers = ["a", "b", "c"].map((key) => write(key));
    await nextTurn();
    expect(statements.map((s) => s.keys)).toEqual([["a", "b", "c"]]);
    statements[0]!.answer();
    expect(await Promise.all(answers)).toEqual(["written a", "written b", "written c"]);
  });

  it("sends a later write at once beside a statement still in flight, not after it", async () => {
    const { statements, write } = controlledWrites();
    const first = write("a");
    await nextTurn();
    const second = write("b");
    await nextTurn();
    // Before: "b" waited for the statement carrying "a" to return.
    expect(statements.map((s) => s.keys)).toEqual([["a"], ["b"]]);
    statements[1]!.answer();
    expect(await second).toBe("written b");
    statements[0]!.answer();
    expect(await first).toBe("written a");
  });

  it("holds writes past the statements allowed in flight, then sends them together", async () => {
    const { statements, write } = controlledWrites();
    const inFlight = [];
    for (let i = 0; i < MAX_BATCHES_IN_FLIGHT; i += 1) {
      inFlight.push(write(`k${i}`));
      await nextTurn();
    }
    const held = [write("x"), write("y")];
    await nextTurn();
    await nextTurn();
    expect(statements).toHaveLength(MAX_BATCHES_IN_FLIGHT);
    statements[0]!.answer();
    await inFlight[0];
    await nextTurn();
    expect(statements.at(-1)!.keys).toEqual(["x", "y"]);
    for (const statement of statements.slice(1)) statement.answer();
    expect(await Promise.all(held)).toEqual(["written x", "written y"]);
  });

  it("never puts one key in two statements in flight at once", async () => {
    const { statements, write } = controlledWrites();
    const first = write("a");
    await nextTurn();
    const again = write("a");
    const other = write("b");
    await nextTurn();
    expect(statements.map((s) => s.keys)).toEqual([["a"], ["b"]]);
    statements[0]!.answer();
    expect(await first).toBe("written a");
    await nextTurn();
    expect(statements.map((s) => s.keys)).toEqual([["a"], ["b"], ["a"]]);
    statements[2]!.answer();
    statements[1]!.answer();
    expect(await Promise.all([again, other])).toEqual(["written a", "written b"]);
  });

  it("writes each item of a failed statement alone, so one refusal fails only its caller", async () => {
    const { statements, write } = controlledWrites();
    const answers = [write("a"), write("b")].map((p) => p.catch((error: Error) => error.message));
    await nextTurn();
    statements[0]!.fail(new Error("refused"));
    await nextTurn();
    expect(statements.slice(1).map((s) => s.keys)).toEqual([["a"], ["b"]]);
    statements[1]!.fail(new Error("refused a"));
    statements[2]!.answer();
    expect(await Promise.all(answers)).toEqual(["refused a", "written b"]);
  });
});
