import { randomBytes } from 'node:crypto';

/** 32 symbols without the easily confused I, O, 0 and 1: 5 random bits each. */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Codes that people read off paper or a screen and type back: receipt codes, activation codes. */
export interface SymbolCode {
  /** A new random code, without dashes. */
  random(): string;
  /** 'ABCDEFGHJKLM' → 'ABCD-EFGH-JKLM': groups of four, as printed. */
  format(code: string): string;
  /** What a person typed or scanned, as the code without dashes (case, spaces and dashes do not matter), or null. */
  parse(input: string): string | null;
}

/** Codes of `length` symbols. */
export function symbolCode(length: number): SymbolCode {
  return {
    // 256 is a multiple of 32: masking a byte to 5 bits picks every symbol equally often.
    random: () => [...randomBytes(length)].map((byte) => CODE_ALPHABET[byte & 31]).join(''),
    format: (code) => code.replace(/(.{4})(?=.)/g, '$1-'),
    parse: (input) => {
      const code = input.toUpperCase().replace(/[\s-]/g, '');
      return code.length === length && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
    },
  };
}
