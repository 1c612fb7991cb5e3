import postgres from "postgres";

/**
 * Every schedule row and every history row, by schedule name, as text: what the fuzz compares
 * before and after, to prove a refused request changed nothing.
 */
export async function dumpDefinitions(databaseUrl) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const byName = new Map();
    const add = (name, text) => byName.set(name, (byName.get(name) ?? "") + text + "\n");
    for (const row of await sql`SELECT name, to_jsonb(s)::text AS t FROM schedules s ORDER BY name`)
      add(row.name, row.t);
    for (const row of await sql`SELECT schedule_name AS name, to_jsonb(h)::text AS t FROM schedule_history h ORDER BY 1, 2`)
      add(row.name, row.t);
    return byName;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** Names whose rows differ between two dumps (changed, added or gone). */
export function diffDumps(before, after) {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name));
}
