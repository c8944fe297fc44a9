import { hash, verify } from '@node-rs/argon2';
import { concurrencyLimit } from '../core/concurrency-limit.js';
import { MIN_STRENGTH_SCORE, passwordStrength } from './password-strength.js';

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
  | 'same_as_current'
  /** The strength check could not run (its thread failed): nothing is wrong with the password; try again. */
  | 'unchecked';

export interface PasswordContext {
  fullName: string;
  email: string | null;
  nip: string | null;
}

/** Words an attacker would try first against any account of Ikrar, whoever it belongs to. */
const APP_WORDS = ['ikrar', 'pakta integritas', 'netralitas asn', 'kata sandi'];

/**
 * What the password rules know of a person: the parts of their identity a password may not contain (NIP, email
 * name, name parts of 4 letters or more) and every word the strength estimate takes as a first guess. The strength
 * meter of the forms gets the same lists, so that it says what the server will.
 */
export function passwordRuleInputs(context: PasswordContext): { identities: string[]; guesses: string[] } {
  const identities = [
    context.nip,
    context.email?.split('@')[0]?.toLowerCase(),
    ...context.fullName.toLowerCase().split(/\s+/),
  ].filter((part): part is string => typeof part === 'string' && part.length >= 4);
  return { identities, guesses: [...identities, context.fullName, ...APP_WORDS] };
}

/**
 * Rules after NIST SP 800-63B: at least 10 characters and no composition rules, but not the user's NIP, email name
 * or name, and not guessable: zxcvbn's score (leaked passwords, Indonesian words and names, keyboard patterns,
 * dates, the person's own details) must reach MIN_STRENGTH_SCORE (see password-strength.ts).
 */
export async function checkNewPassword(
  password: string,
  context: PasswordContext,
): Promise<PasswordProblem | null> {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  const { identities, guesses } = passwordRuleInputs(context);
  const lower = password.toLowerCase();
  if (identities.some((part) => lower.includes(part))) return 'contains_identity';
  try {
    return (await passwordStrength(password, guesses)) < MIN_STRENGTH_SCORE ? 'too_common' : null;
  } catch {
    return 'unchecked';
  }
}
