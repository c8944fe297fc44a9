import { createHash } from 'node:crypto';
import { symbolCode } from '../core/symbol-code.js';

/**
 * The one-time code printed on an activation letter. People type it from paper, often on a phone: the receipt
 * codes' 32 symbols (nothing reads like another), twelve of them (60 bits) in three groups of four. Typed input
 * is read generously (any case, spaces or dashes anywhere). Rate limits per address and per NIP keep guessing
 * hopeless; the length keeps a stolen database's hashes from being reversed in the fortnight a code lives.
 */
const activationCode = symbolCode(12);

/** A new random code, grouped for print: 'K7QM-3XWD-PA9F'. */
export const newActivationCode = (): string => activationCode.format(activationCode.random());

/** The code as typed, reduced to its symbols ('k7qm 3xwd-pa9f' → 'K7QM3XWDPA9F'), or null when it cannot be one. */
export const readActivationCode = activationCode.parse;

/**
 * What the database keeps of a person's code: its sha256 with the person's id, so that equal codes of two people
 * never collide and one table of hashes cannot be searched for every account at once.
 */
export const activationCodeHash = (userId: number, code: string): string =>
  createHash('sha256')
    .update(`activation:${userId}:${readActivationCode(code) ?? code}`)
    .digest('hex');
