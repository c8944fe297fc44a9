/** A database id from a URL segment: only the canonical form ('12', not '012', '1e1', '0x0c' or '12.0'). */
export function parseId(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}
