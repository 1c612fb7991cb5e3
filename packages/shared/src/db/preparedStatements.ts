import type postgres from "postgres";

/**
 * The most parameters a statement may carry and still be kept prepared. Every statement hotbeat
 * runs often has a fixed text with a few parameters (a batch travels as one JSON or array
 * parameter); a statement of one parameter per list item (`IN ($1, …, $n)`) has a new text for
 * every length, and keeping each of those prepared on every connection would grow without bound.
 */
const MAX_PREPARED_PARAMETERS = 16;

type UnsafeOptions = Parameters<postgres.Sql["unsafe"]>[2];

/**
 * Drizzle sends every query it did not `.prepare()` itself with `prepare: false`, whatever the
 * client's own setting. postgres.js then sends a statement that has parameters in two round
 * trips: Parse/Describe to learn the parameter types, and only then Bind/Execute. Every claim,
 * finish, enqueue mark and write of hotbeat paid for two round trips where one does.
 *
 * This wraps the client Drizzle is given, and the clients of its transactions and savepoints, so
 * that a statement with 1 to {@link MAX_PREPARED_PARAMETERS} parameters is prepared: postgres.js
 * keeps it per connection by its text and types, and from the second use on it is one round trip
 * (Bind/Execute) and PostgreSQL neither parses nor plans it again. A statement without parameters
 * is already sent in one round trip and stays unnamed; a longer one stays as Drizzle sent it.
 */
export function withPreparedStatements<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "unsafe") {
        return (query: string, parameters?: unknown[], options?: UnsafeOptions) => {
          const count = parameters?.length ?? 0;
          const prepare = count > 0 && count <= MAX_PREPARED_PARAMETERS;
          return target.unsafe(
            query,
            parameters as postgres.ParameterOrJSON<never>[],
            prepare ? { ...options, prepare: true } : options,
          );
        };
      }
      if (key === "begin" || key === "savepoint") {
        const open = Reflect.get(target, key, target) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return open.call(target, ...args, (tx: postgres.TransactionSql) =>
            body(withPreparedStatements(tx)),
          );
        };
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
