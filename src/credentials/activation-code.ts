import { createHash, randomBytes } from 'node:crypto';

/**
 * The one-time code printed on an activation letter. People type it from paper, often on a phone: 32 symbols with
 * nothing that reads like another (no 0/O, no 1/I), twelve of them (60 bits) in three groups of four. Typed input is
 * read generously (any case, spaces or dashes anywhere). Rate limits per address and per NIP keep guessing hopeless;
 * the length keeps a stolen database's hashes from being reversed in the fortnight a code lives.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_LENGTH = 12;
const GROUP = 4;

/** A new random code, grouped for print: 'K7QM-3XWD-PA9F'. */
export function newActivationCode(): string {
  // 256 is a multiple of 32: masking a byte to 5 bits picks every symbol equally often.
  const symbols = [...randomBytes(CODE_LENGTH)].map((byte) => CODE_ALPHABET[byte & 31]).join('');
  return groupCode(symbols);
}

const groupCode = (symbols: string): string =>
  (symbols.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? []).join('-');

/** The code as typed, reduced to its symbols ('k7qm 3xwd-pa9f' → 'K7QM3XWDPA9F'), or null when it cannot be one. */
export function readActivationCode(typed: string): string | null {
  const symbols = typed.toUpperCase().replace(/[\s-]+/g, '');
  return symbols.length === CODE_LENGTH && [...symbols].every((c) => CODE_ALPHABET.includes(c))
    ? symbols
    : null;
}

/**
 * What the database keeps of a person's code: its sha256 with the person's id, so that equal codes of two people
 * never collide and one table of hashes cannot be searched for every account at once.
 */
export const activationCodeHash = (userId: number, code: string): string =>
  createHash('sha256')
    .update(`activation:${userId}:${readActivationCode(code) ?? code}`)
    .digest('hex');
