import { describe, expect, it } from 'vitest';
import { parseId } from '../../src/web/params.js';

describe('an id in a URL', () => {
  it('is read only in its canonical form', () => {
    expect(parseId('12')).toBe(12);
    for (const odd of ['012', '1e1', '0x0c', '12.0', ' 12', '-1', '0', '', undefined, ['12'], 12]) {
      expect(parseId(odd), String(odd)).toBeNull();
    }
  });

  it('names nothing beyond the largest id a column holds, so that PostgreSQL is never asked for it', () => {
    expect(parseId('2147483647')).toBe(2_147_483_647);
    expect(parseId('2147483648')).toBeNull();
    expect(parseId('99999999999999')).toBeNull();
  });
});
