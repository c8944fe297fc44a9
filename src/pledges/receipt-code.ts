import { randomBytes } from 'node:crypto';

// 32 symbols without the easily confused I, O, 0 and 1: 5 bits each, so 16 symbols carry 80 random bits.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = 16;

/** A new receipt code: 16 symbols from 80 random bits, stored without dashes. */
export function newReceiptCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) {
    code = ALPHABET[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return code;
}

/** 'ABCDEFGHJKLMNPQR' → 'ABCD-EFGH-JKLM-NPQR' */
export const formatReceiptCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1-');

/**
 * What a person typed or scanned, as a stored code: case, spaces and dashes do not matter. Null when it cannot be
 * a receipt code at all (so a lookup is not even tried).
 */
export function parseReceiptCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}
