// The first page of the Schedules list, asked for the moment this module runs. index.html loads it
// as a script of its own (async) with its two imports preloaded, so the request leaves while the
// rest of the page's modules are still on their way: the first screen waits for one round trip
// to the API, not for the whole module graph and then a round trip.

import { api } from "./api.js";
import { readListQuery, readView, toApiQuery } from "./listQuery.js";

/** The list state the first page was asked for, read from the URL. */
export const firstState = readListQuery(location.search);

/** The first page's answer, or null when the page opens on another view. */
export const firstPage =
  readView(location.search) === "schedules"
    ? api("GET", "/api/v1/schedules", { query: toApiQuery(firstState) })
    : null;
// Handled where the list renders; this keeps an early failure from being reported unhandled.
firstPage?.catch(() => undefined);
