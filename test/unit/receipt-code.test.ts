import { describe, expect, it } from 'vitest';
import { formatReceiptCode, newReceiptCode, parseReceiptCode } from '../../src/pledges/receipt-code.js';

describe('receipt codes', () => {
  it('are 16 symbols without the ambiguous I, O, 0 and 1', () => {
    for (let i = 0; i < 200; i += 1) expect(newReceiptCode()).toMatch(/^[A-HJ-NP-Z2-9]{16}$/);
  });

  it('do not repeat (80 random bits)', () => {
    const codes = new Set(Array.from({ length: 20_000 }, newReceiptCode));
    expect(codes.size).toBe(20_000);
  });

  it('use every symbol of the alphabet, so no bits are wasted', () => {
    const seen = new Set(Array.from({ length: 500 }, newReceiptCode).join(''));
    expect(seen.size).toBe(32);
  });

  it('are shown in groups of four', () => {
    expect(formatReceiptCode('ABCDEFGHJKLMNPQR')).toBe('ABCD-EFGH-JKLM-NPQR');
  });

  it('are read back whatever the case, spaces and dashes', () => {
    expect(parseReceiptCode(' abcd-efgh jklm-npqr ')).toBe('ABCDEFGHJKLMNPQR');
    expect(parseReceiptCode('ABCDEFGHJKLMNPQR')).toBe('ABCDEFGHJKLMNPQR');
  });

  it.each([
    '',
    'ABCD-EFGH',
    'ABCD-EFGH-JKLM-NPQO',
    'ABCD-EFGH-JKLM-NPQ1',
    'ABCD-EFGH-JKLM-NPQR-A',
    "ABCD' OR 1=1 --",
  ])('refuse %j as no code at all', (input) => {
    expect(parseReceiptCode(input)).toBeNull();
  });
});
