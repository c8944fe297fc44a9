import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET } from '../../src/core/symbol-code.js';
import {
  activationCodeHash,
  newActivationCode,
  readActivationCode,
} from '../../src/credentials/activation-code.js';

describe('activation codes', () => {
  it('are twelve symbols in three groups, with nothing that reads like another', () => {
    const codes = Array.from({ length: 2000 }, newActivationCode);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(CODE_ALPHABET).not.toMatch(/[01IO]/);
    // Every symbol turns up: the draw covers the whole alphabet.
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('reads what people type: any case, spaces or dashes anywhere', () => {
    expect(readActivationCode('k7qm 3xwd-pa9f')).toBe('K7QM3XWDPA9F');
    expect(readActivationCode(' K7QM-3XWD-PA9F ')).toBe('K7QM3XWDPA9F');
    expect(readActivationCode('K7QM3XWDPA9')).toBeNull();
    expect(readActivationCode('K7QM-3XWD-PA9O')).toBeNull();
    expect(readActivationCode('')).toBeNull();
  });

  it('hashes per person, and the same however it was typed', () => {
    expect(activationCodeHash(1, 'K7QM-3XWD-PA9F')).toBe(activationCodeHash(1, 'k7qm3xwdpa9f'));
    expect(activationCodeHash(1, 'K7QM-3XWD-PA9F')).not.toBe(activationCodeHash(2, 'K7QM-3XWD-PA9F'));
    expect(activationCodeHash(1, 'K7QM-3XWD-PA9F')).toMatch(/^[0-9a-f]{64}$/);
  });
});
