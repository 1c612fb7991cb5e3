// Types for the plain-JS schedule words, so TypeScript tests can import them.
export function formatDuration(seconds: number): string;
export function formatInZone(iso: string, zone: string, options?: { weekday?: boolean }): string;
export function describeSchedule(schedule: {
  cron: string | null;
  intervalSeconds: number | null;
  runAt: string | null;
  timezone: string;
}): string;
export function describeCron(cron: string): string | undefined;
export function zonedParts(
  iso: string,
  zone: string,
): { weekday: string; year: string; month: string; day: string; hour: string; minute: string };
