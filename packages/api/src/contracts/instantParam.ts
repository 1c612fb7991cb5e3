import { isSupportedInstant, UNSUPPORTED_INSTANT_MESSAGE } from "@hotbeat/shared";
import { z } from "zod";

/** An instant in a body, a query or a path: ISO 8601 with an offset, inside the years 1–9999. */
export const instantParamSchema = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 instant with an offset" })
  .refine((value) => isSupportedInstant(new Date(value)), UNSUPPORTED_INSTANT_MESSAGE);
