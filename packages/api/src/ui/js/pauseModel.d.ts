// Types for the plain-JS pause model, so TypeScript tests can import it.
export function computePausedUntil(
  choice: "hour" | "tomorrow" | "date" | "resume",
  options: { nowIso: string; zone: string; localUntil?: string },
): { at: string | null; error?: undefined } | { at?: undefined; error: { field: string; message: string } };
