/** The largest id a column holds (PostgreSQL's `integer`): a larger one names nothing, and must not reach SQL. */
const MAX_ID = 2_147_483_647;

/**
 * A database id from a URL segment: only the canonical form ('12', not '012', '1e1', '0x0c' or '12.0'), and no
 * larger than an id can be.
 */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}
