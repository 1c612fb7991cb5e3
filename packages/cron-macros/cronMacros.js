// The cron macros, shared by the server, which parses crons, and the CLI, which edits the fields
// of a stored one and loads no server code. Plain JavaScript with no dependency and no build step,
// because `npx hotbeat` runs on a fresh clone before anything is built (see bin/hotbeat.js of the
// CLI). cronMacros.d.ts declares its types for TypeScript; tsconfig.json type-checks this file.

/**
 * What each cron macro stands for, as five fields.
 * @type {Readonly<Record<string, string>>}
 */
export const CRON_MACROS = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/**
 * A cron with its macro (any case) replaced by the fields it stands for; trimmed either way.
 * @param {string} cron
 * @returns {string}
 */
export function expandCronMacro(cron) {
  const trimmed = cron.trim();
  return CRON_MACROS[trimmed.toLowerCase()] ?? trimmed;
}
