import { isValidTimeZone } from "@hotbeat/shared";
import type { FastifyPluginCallbackZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../contracts/responses.js";

/**
 * ICU (in Node and in Chromium alike) lists zones by their CLDR names, some of which IANA
 * renamed long ago: people look for Asia/Ho_Chi_Minh, not Asia/Saigon. Each is replaced by the
 * IANA name, which luxon and every runtime accept. https://github.com/unicode-org/cldr/blob/main/common/bcp47/timezone.xml
 */
const IANA_NAME_OF_CLDR_NAME: Readonly<Record<string, string>> = {
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Mendoza": "America/Argentina/Mendoza",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

/** The zones a schedule may use, by their canonical IANA names, sorted, UTC included. */
export function listTimeZones(): string[] {
  const names = new Set(["UTC"]);
  for (const zone of Intl.supportedValuesOf("timeZone")) {
    const iana = IANA_NAME_OF_CLDR_NAME[zone] ?? zone;
    if (isValidTimeZone(iana)) names.add(iana);
  }
  return [...names].sort();
}

/** `GET /api/v1/timezones`: for the editor's zone picker (a browser's own list has the CLDR names). */
export const timeZoneRoutes: FastifyPluginCallbackZod = (app, _options, done) => {
  const zones = listTimeZones();
  app.get(
    "/api/v1/timezones",
    {
      schema: {
        tags: ["schedules"],
        summary: "The time zones a schedule may use, by canonical IANA name",
        response: { 200: z.object({ timezones: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", "public, max-age=3600");
      return { timezones: zones };
    },
  );
  done();
};
