import { not, sql, type SQL } from "drizzle-orm";
import { schedules } from "../db/schema.js";
import { AppError } from "../errors.js";
import { findLabelKeyProblem, findLabelValueProblem } from "./labels.js";

/**
 * One requirement of a label selector, as kubectl writes them: `team=finance` (or `==`),
 * `team!=finance` (also true of schedules without the key), `team` (has the key), `!team` (has
 * not). A selector is a list of them, all of which must hold.
 */
export type LabelRequirement =
  { op: "equals" | "notEquals"; key: string; value: string } | { op: "exists" | "absent"; key: string };

/** More requirements than this in one list are refused: no real selector needs them. */
export const MAX_LABEL_REQUIREMENTS = 64;

class InvalidLabelSelector extends AppError {
  constructor(message: string) {
    super("invalid", `label: ${message}`, [{ field: "label", message }]);
  }
}

function parseRequirement(text: string): LabelRequirement {
  const part = text.trim();
  if (part === "") throw new InvalidLabelSelector("has an empty requirement (two commas, or one at an end)");
  const checkKey = (key: string) => {
    const problem = findLabelKeyProblem(key);
    if (problem) throw new InvalidLabelSelector(`"${part}": ${problem}`);
    return key;
  };
  const checkValue = (value: string) => {
    const problem = findLabelValueProblem(value);
    if (problem) throw new InvalidLabelSelector(`"${part}": ${problem}`);
    return value;
  };
  if (part.startsWith("!") && !part.includes("="))
    return { op: "absent", key: checkKey(part.slice(1).trim()) };
  const match = /^([^!=]*)(!=|==|=)(.*)$/.exec(part);
  if (!match) return { op: "exists", key: checkKey(part) };
  const [, key = "", operator, value = ""] = match;
  return {
    op: operator === "!=" ? "notEquals" : "equals",
    key: checkKey(key.trim()),
    value: checkValue(value.trim()),
  };
}

/**
 * Parses selectors (`?label=` values, each a comma list) into requirements, all ANDed.
 * @throws AppError `invalid` naming the field `label`, with the requirement that is wrong.
 */
export function parseLabelSelector(selectors: readonly string[]): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const selector of selectors) {
    if (/\b(in|notin)\s*\(/.test(selector))
      throw new InvalidLabelSelector(
        `"${selector}": set-based requirements (in, notin) are not supported; write key=value, key!=value, key or !key`,
      );
    requirements.push(...selector.split(",").map(parseRequirement));
  }
  if (requirements.length > MAX_LABEL_REQUIREMENTS)
    throw new InvalidLabelSelector(`holds more than ${MAX_LABEL_REQUIREMENTS} requirements`);
  return requirements;
}

/**
 * The requirements as SQL on `schedules.labels`. `@>` (containment) and `?` (has key) are the
 * operators the GIN index on labels serves; a negation cannot use it and filters what is left.
 */
export function toLabelConditions(requirements: readonly LabelRequirement[]): SQL[] {
  const contains = (key: string, value: string) =>
    sql`${schedules.labels} @> ${JSON.stringify({ [key]: value })}::jsonb`;
  const has = (key: string) => sql`${schedules.labels} ? ${key}`;
  return requirements.map((requirement) => {
    switch (requirement.op) {
      case "equals":
        return contains(requirement.key, requirement.value);
      case "notEquals":
        return not(contains(requirement.key, requirement.value));
      case "exists":
        return has(requirement.key);
      case "absent":
        return not(has(requirement.key));
    }
  });
}

/** Whether a set of labels meets every requirement (what {@link toLabelConditions} selects). */
export function matchesLabelSelector(
  labels: Readonly<Record<string, unknown>>,
  requirements: readonly LabelRequirement[],
): boolean {
  return requirements.every((requirement) => {
    const has = Object.hasOwn(labels, requirement.key);
    switch (requirement.op) {
      case "exists":
        return has;
      case "absent":
        return !has;
      case "equals":
        return has && labels[requirement.key] === requirement.value;
      case "notEquals":
        return !has || labels[requirement.key] !== requirement.value;
    }
  });
}
