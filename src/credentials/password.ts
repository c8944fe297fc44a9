import { hash, verify } from '@node-rs/argon2';
import { concurrencyLimit } from '../core/concurrency-limit.js';

// OWASP's argon2id baseline (m = 19 MiB, t = 2, p = 1): about 12 ms a hash on the target machines.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/**
 * Each hash holds 19 MiB of native memory while it runs, and libuv's pool would run four at once: 76 MiB on top of
 * a worker's own. Two at a time per process hash as fast on cores shared by one worker each (a hash is CPU and
 * memory bandwidth, and WORKERS=auto runs one worker per core), and keep a worker under 200 MB; the rest wait in
 * line. See docs/CAPACITY.md, "Memory per worker".
 */
const argon2InFlight = concurrencyLimit(2);

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return argon2InFlight(() => hash(password, ARGON2_OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await argon2InFlight(() => verify(passwordHash, password));
  } catch {
    // A malformed stored hash must fail the login, not crash it.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, so that a login for an unknown or locked account cannot be told
 * apart from a wrong password by its response time.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('ikrar-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}

export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'too_common'
  | 'contains_identity'
  | 'same_as_current';

// A short list of the passwords most often seen in Indonesian breaches and default setups.
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '0123456789',
  '12345678910',
  'qwertyuiop',
  'password123',
  'password1234',
  'passw0rd123',
  'katasandi123',
  'katasandi',
  'bismillah123',
  'bismillah1',
  'indonesia1945',
  'indonesia123',
  'merdeka1945',
  'jatengprov',
  'jawatengah123',
  'semarang123',
  'admin12345',
  'administrator',
  'ikrar-demo',
  'iloveyou123',
  'abcdefghij',
  'abc1234567',
  'qwerty12345',
  '1q2w3e4r5t',
  '1111111111',
  'asdfghjkl1',
]);

export interface PasswordContext {
  fullName: string;
  email: string | null;
  nip: string | null;
}

/**
 * Length-based rules after NIST SP 800-63B: at least 10 characters, no composition rules, but not a known common
 * password, not the user's NIP, email name or name, and not one character repeated.
 */
export function checkNewPassword(password: string, context: PasswordContext): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) return 'too_common';
  const identities = [
    context.nip,
    context.email?.split('@')[0],
    ...context.fullName.toLowerCase().split(/\s+/),
  ].filter((part): part is string => typeof part === 'string' && part.length >= 4);
  if (identities.some((part) => lower.includes(part.toLowerCase()))) return 'contains_identity';
  return null;
}
