// Types for the plain-JS zoned time helpers, so TypeScript tests can import them.
export function formatInZone(iso: string, zone: string): string;
export function zonedParts(
  iso: string,
  zone: string,
): { weekday: string; year: string; month: string; day: string; hour: string; minute: string };
export function toZonedWallTime(iso: string, zone: string): string;
export function fromZonedWallTime(local: string, zone: string): string;
