import { describe, expect, it } from "vitest";
import { AppError } from "../src/errors.js";
import { matchesLabelSelector, parseLabelSelector } from "../src/schedules/labelSelector.js";

function refusal(selectors: string[]): AppError {
  try {
    parseLabelSelector(selectors);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`${JSON.stringify(selectors)} was accepted`);
}

describe("label selectors", () => {
  it("reads equality, inequality, existence and absence, kubectl style, from comma lists and several values", () => {
    expect(
      parseLabelSelector([
        "team=finance,tier!=gold",
        "owner",
        " !legacy ",
        "env==prod",
        "app.kubernetes.io/name=",
      ]),
    ).toEqual([
      { op: "equals", key: "team", value: "finance" },
      { op: "notEquals", key: "tier", value: "gold" },
      { op: "exists", key: "owner" },
      { op: "absent", key: "legacy" },
      { op: "equals", key: "env", value: "prod" },
      { op: "equals", key: "app.kubernetes.io/name", value: "" },
    ]);
  });

  it("refuses a requirement Kubernetes would refuse, naming the field label and the requirement", () => {
    const bad = refusal(["team=finance,,tier=gold"]);
    expect(bad).toMatchObject({ code: "invalid", details: [{ field: "label" }] });
    expect(bad.message).toBe("label: has an empty requirement (two commas, or one at an end)");
    expect(refusal(["team=fin ance"]).message).toMatch(/^label: "team=fin ance": a label value must be/);
    expect(refusal(["-team"]).message).toMatch(/^label: "-team": a label key must be/);
    expect(refusal(["!team=x"]).message).toMatch(/^label: "!team=x": a label key must be/);
    expect(refusal(["env in (prod,dev)"]).message).toMatch(
      /set-based requirements \(in, notin\) are not supported/,
    );
  });

  it("matches what the SQL selects: != and !key also hold for schedules without the key", () => {
    const labels = { team: "finance", tier: "gold" };
    const holds = (selector: string, of: Record<string, string> = labels) =>
      matchesLabelSelector(of, parseLabelSelector([selector]));
    expect(holds("team=finance")).toBe(true);
    expect(holds("team=ops")).toBe(false);
    expect(holds("team!=ops")).toBe(true);
    expect(holds("team!=finance")).toBe(false);
    expect(holds("owner!=me")).toBe(true);
    expect(holds("tier")).toBe(true);
    expect(holds("!tier")).toBe(false);
    expect(holds("!owner")).toBe(true);
    expect(holds("team=finance,tier=gold")).toBe(true);
    expect(holds("team=finance,tier=silver")).toBe(false);
    expect(holds("toString")).toBe(false);
    expect(holds("team=", { team: "" })).toBe(true);
  });
});
