import { formatInZone } from "../format.js";

/** The `--local` option of list, next and runs: instants in this machine's zone instead. */
export const LOCAL_OPTION = { local: { type: "boolean" } } as const;
export const LOCAL_HELP = "--local        times in this machine's zone (TZ), each with its zone";

/** This machine's zone: TZ when set, else the system's. */
export const readLocalZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** "2026-05-04 09:15 Europe/Berlin": an instant that says which zone it is written in. */
export const formatInstantIn = (iso: string, zone: string): string => `${formatInZone(iso, zone)} ${zone}`;
