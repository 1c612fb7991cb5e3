// Types for the plain-JS list query, so TypeScript tests can import it.
export interface ListState {
  q: string;
  label: string;
  health: "" | "invalid";
  enabled: "" | "true" | "false";
  sort: "name" | "next";
}
export type View = "schedules" | "calendars" | "schedulers";
export const PAGE_SIZE: number;
export function readListQuery(search: string): ListState;
export function readView(search: string): View;
export function toSearch(state: Partial<ListState>, view?: View): string;
export function splitSelector(selector: string): string[];
export function toApiQuery(
  state: Partial<ListState>,
  page?: { cursor?: string; limit?: number },
): URLSearchParams;
export function isFiltered(state: Partial<ListState>): boolean;
