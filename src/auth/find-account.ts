import { normaliseNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';

/** The login name is an email address or a NIP (spaces allowed, as NIPs are often written grouped). */
export async function findAccount(users: UserRepository, username: string): Promise<User | undefined> {
  const trimmed = username.trim();
  if (trimmed.includes('@')) return users.findByEmail(trimmed);
  return findAccountByNip(users, trimmed);
}

/**
 * Why a login name cannot name any account, by its form alone (a catalogue key), or null: the same for everybody, so
 * that saying it reveals nothing about who has an account. A name with '@' is taken for an email (findAccount); any
 * other must be a NIP of 18 digits.
 */
export function usernameProblem(written: string): 'login.nip_length' | 'login.username_format' | null {
  const trimmed = written.trim();
  if (trimmed.includes('@')) return null;
  const nip = normaliseNip(trimmed);
  if (/^\d{18}$/.test(nip)) return null;
  // Letters: neither a NIP nor an email. Digits with dots or dashes, or too few or many: a NIP mistyped.
  return /\p{L}/u.test(nip) ? 'login.username_format' : 'login.nip_length';
}

/** The account of a NIP as people and rosters write it (grouped with spaces or not); none unless it is 18 digits. */
export async function findAccountByNip(users: UserRepository, written: string): Promise<User | undefined> {
  const nip = normaliseNip(written);
  return /^\d{18}$/.test(nip) ? users.findByNip(nip) : undefined;
}
