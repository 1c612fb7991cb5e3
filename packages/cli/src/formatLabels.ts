/** How much of a schedule's labels a list shows; `get` shows them all. */
export const LIST_LABELS_WIDTH = 40;

/** Labels as `k=v,k=v` (kubectl's way of writing them), cut to `maxLength` with an ellipsis; `-` for none. */
export function formatLabels(
  labels: Readonly<Record<string, string>> | undefined,
  maxLength = Infinity,
): string {
  const text = Object.entries(labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  if (text === "") return "-";
  return text.length > maxLength ? `${text.slice(0, Math.max(0, maxLength - 1))}…` : text;
}
