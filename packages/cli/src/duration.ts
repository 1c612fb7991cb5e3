import { UsageError } from "./errors.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Reads a duration such as `6h`, `90m`, `1d`, `1h30m` or a bare number of seconds, as seconds.
 * @throws UsageError naming the option when the text is not a positive duration.
 */
export function parseDuration(text: string, option = "--every"): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return requirePositive(Number(trimmed), text, option);
  const parts = [...trimmed.matchAll(/(\d+)\s*([smhdw])/g)];
  const consumed = parts.map((p) => p[0]).join("");
  if (parts.length === 0 || consumed.replace(/\s/g, "") !== trimmed.replace(/\s/g, "")) {
    throw new UsageError(`${option}: "${text}" is not a duration; use e.g. 90s, 15m, 6h, 1d or 1h30m`);
  }
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] ?? "s"] ?? 1), 0);
  return requirePositive(seconds, text, option);
}

function requirePositive(seconds: number, text: string, option: string): number {
  if (!Number.isSafeInteger(seconds) || seconds < 1) {
    throw new UsageError(`${option}: "${text}" must be at least one second`);
  }
  return seconds;
}
