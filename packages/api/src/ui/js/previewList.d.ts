// Types for the plain-JS preview list, so TypeScript tests can import what is free of the DOM.
export interface FireTime {
  at: string;
  excluded?: string;
  skipped?: string;
}
export function describePassedOver(fire: FireTime): { kind: "excluded" | "skipped"; text: string } | null;
