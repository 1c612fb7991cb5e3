/**
 * Rows per statement of the ledger's batched writes and reads: well under PostgreSQL's 65,535 bound
 * parameters (a run row binds 8), and small enough that one statement never holds a lock long.
 */
export const LEDGER_CHUNK_SIZE = 1000;

/** `items` in slices of at most `size`, for statements with a bounded number of rows. */
export function chunked<T>(items: readonly T[], size = LEDGER_CHUNK_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
