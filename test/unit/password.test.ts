import { describe, expect, it } from 'vitest';
import {
  checkNewPassword,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordContext,
  verifyAgainstDummy,
  verifyPassword,
} from '../../src/credentials/password.js';

const CONTEXT: PasswordContext = {
  fullName: 'Bambang Setiawan',
  email: 'bambang.s@jatengprov.go.id',
  nip: '198609262015051001',
};

describe('hashPassword and verifyPassword', () => {
  it('produces an argon2id hash with the OWASP baseline parameters', async () => {
    const hash = await hashPassword('kopi pagi di semarang');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(hash).toContain('m=19456,t=2,p=1');
    expect(hash).not.toContain('kopi pagi');
  });

  it('accepts the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('kopi pagi di semarang');
    expect(await verifyPassword(hash, 'kopi pagi di semarang')).toBe(true);
    expect(await verifyPassword(hash, 'kopi pagi di Semarang')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('sama saja ya'), hashPassword('sama saja ya')]);
    expect(a).not.toBe(b);
  });

  it.each([
    [''],
    ['not-a-hash'],
    ['$argon2id$v=19$m=19456,t=2,p=1$broken'],
    ['$2b$10$abcdefghijklmnopqrstuv'],
  ])('returns false instead of throwing for the malformed hash %j', async (hash) => {
    await expect(verifyPassword(hash, 'whatever-password')).resolves.toBe(false);
  });

  it('verifyAgainstDummy always answers false', async () => {
    await expect(verifyAgainstDummy('ikrar-dummy-password-for-timing')).resolves.toBe(false);
    await expect(verifyAgainstDummy('anything else')).resolves.toBe(false);
  });
});

describe('checkNewPassword', () => {
  it('has the documented limits', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
  });

  it('refuses 9 characters as too short', async () => {
    expect(await checkNewPassword('kopipagi9', CONTEXT)).toBe('too_short');
    expect(await checkNewPassword('', CONTEXT)).toBe('too_short');
  });

  it('accepts a passphrase of unrelated words, with no composition rules', async () => {
    expect(await checkNewPassword('netral dalam pemilu itu wajib', CONTEXT)).toBeNull();
    expect(await checkNewPassword('kucing oranye tidur di loteng', CONTEXT)).toBeNull();
  });

  it('counts characters, not UTF-16 units, for the minimum', async () => {
    // Nine emoji are 18 UTF-16 units but still only nine characters.
    expect(await checkNewPassword('😀'.repeat(9), CONTEXT)).toBe('too_short');
  });

  it('accepts 128 characters and refuses 129 as too long', async () => {
    const long = 'sepeda biru melintas jembatan kayu '.repeat(4).slice(0, 128);
    expect(await checkNewPassword(long, CONTEXT)).toBeNull();
    expect(await checkNewPassword(`${long}x`, CONTEXT)).toBe('too_long');
  });

  it.each([
    ['password123'],
    ['Password123'],
    ['PASSWORD123'],
    ['ikrar-demo'],
    ['bismillah123'],
    ['1234567890'],
    ['qwertyuiop'],
  ])('refuses the common password %s, whatever its case', async (password) => {
    expect(await checkNewPassword(password, CONTEXT)).toBe('too_common');
  });

  // What the hand-written list of earlier releases could not know: Indonesian words, names and dates, and
  // keyboard walks, in forms it never listed.
  it.each([
    ['indonesia2024'],
    ['rahasiasekali'],
    ['semarang12345'],
    ['merdeka1945'],
    ['pakta integritas'],
    ['1q2w3e4r5t6y'],
  ])('refuses %s, guessable from Indonesian words, dates or the keyboard', async (password) => {
    expect(await checkNewPassword(password, CONTEXT)).toBe('too_common');
  });

  it('refuses one character repeated', async () => {
    expect(await checkNewPassword('aaaaaaaaaaaa', CONTEXT)).toBe('too_common');
    expect(await checkNewPassword('............', CONTEXT)).toBe('too_common');
  });

  it('refuses a password containing the NIP', async () => {
    expect(await checkNewPassword(`nip${CONTEXT.nip}`, CONTEXT)).toBe('contains_identity');
  });

  it('refuses a password containing the email name, whatever its case', async () => {
    expect(await checkNewPassword('Bambang.S-rahasia', { ...CONTEXT, fullName: 'Budi Utomo' })).toBe(
      'contains_identity',
    );
  });

  it('refuses a password containing a part of the name of 4 or more letters', async () => {
    expect(await checkNewPassword('SetiawanJuara2024', CONTEXT)).toBe('contains_identity');
    expect(await checkNewPassword('aku bambang sekali', CONTEXT)).toBe('contains_identity');
  });

  it('ignores name parts shorter than 4 letters', async () => {
    const context: PasswordContext = { fullName: 'Tri Ani', email: null, nip: null };
    expect(await checkNewPassword('tri-ani-kopi-pagi-hangat', context)).toBeNull();
  });

  it('copes with an account that has neither NIP nor email', async () => {
    const context: PasswordContext = { fullName: 'Administrator Ikrar', email: null, nip: null };
    expect(await checkNewPassword('jalan pahlawan sembilan', context)).toBeNull();
    expect(await checkNewPassword('ikrar jalan pahlawan', context)).toBe('contains_identity');
  });
});
