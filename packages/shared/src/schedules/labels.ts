import { z } from "zod";

/**
 * Labels follow Kubernetes' rules, so that selectors people already write (`team=finance`) mean the
 * same here: a key is an optional DNS-subdomain prefix and `/`, then a name of at most 63
 * characters that starts and ends with a letter or digit; a value is empty or the same shape.
 */
export const MAX_LABELS = 64;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The problem with a label key, or null. */
export function findLabelKeyProblem(key: string): string | null {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return "a label key's prefix must be a DNS subdomain (lowercase, at most 253 characters)";
  if (!LABEL_NAME.test(name))
    return "a label key must be at most 63 letters, digits, - _ . starting and ending with a letter or digit";
  return null;
}

/** The problem with a label value, or null. */
export function findLabelValueProblem(value: string): string | null {
  if (value === "" || LABEL_NAME.test(value)) return null;
  return "a label value must be empty or at most 63 letters, digits, - _ . starting and ending with a letter or digit";
}

/** The `labels` field: a string → string map, Kubernetes rules. */
export const labelsSchema = z
  .record(z.string(), z.string({ message: "a label value must be a string" }), {
    message: "must be an object of string labels",
  })
  .superRefine((labels, ctx) => {
    const keys = Object.keys(labels);
    if (keys.length > MAX_LABELS)
      ctx.addIssue({ code: "custom", message: `must hold at most ${MAX_LABELS} labels` });
    for (const key of keys) {
      const problem = findLabelKeyProblem(key) ?? findLabelValueProblem(labels[key]!);
      if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
    }
  });
