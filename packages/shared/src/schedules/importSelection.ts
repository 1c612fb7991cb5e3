import { matchesLabelSelector, parseLabelSelector } from "./labelSelector.js";

/** An item of an import document, with its place in it (errors name `schedules[index]`). */
export interface ImportItem {
  item: unknown;
  index: number;
}

/**
 * The items of an import that a label selector keeps, judged by the labels the document gives
 * them (an item without a labels object has none); all of them without a selector.
 */
export function selectImportItems(
  items: readonly unknown[],
  labelSelector?: readonly string[],
): ImportItem[] {
  const all = items.map((item, index) => ({ item, index }));
  if (labelSelector === undefined) return all;
  const requirements = parseLabelSelector(labelSelector);
  return all.filter(({ item }) => matchesLabelSelector(readLabels(item), requirements));
}

function readLabels(item: unknown): Record<string, unknown> {
  const labels =
    item !== null && typeof item === "object" ? (item as { labels?: unknown }).labels : undefined;
  return labels !== null && typeof labels === "object" && !Array.isArray(labels)
    ? (labels as Record<string, unknown>)
    : {};
}
