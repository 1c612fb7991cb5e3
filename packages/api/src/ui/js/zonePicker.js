// The editor's zone picker: a searchable list (a datalist) of the API's zone names.

import { api } from "./api.js";
import { $, h } from "./dom.js";

let zonesLoaded;

/**
 * The zone picker's list comes from the API: browsers list CLDR names (Chromium says
 * Asia/Saigon), the API the IANA names a schedule is saved with. Loaded on the first open.
 */
export function loadZones() {
  zonesLoaded ??= api("GET", "/api/v1/timezones").then(
    ({ timezones }) => $("#zone-list").replaceChildren(...timezones.map((z) => h("option", { value: z }))),
    (error) => {
      zonesLoaded = undefined;
      throw error;
    },
  );
  return zonesLoaded;
}
