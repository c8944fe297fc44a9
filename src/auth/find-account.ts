import { normaliseNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';

/** The login name is an email address or a NIP (spaces allowed, as NIPs are often written grouped). */
export async function findAccount(users: UserRepository, username: string): Promise<User | undefined> {
  const trimmed = username.trim();
  if (trimmed.includes('@')) return users.findByEmail(trimmed);
  return findAccountByNip(users, trimmed);
}

/** The account of a NIP as people and rosters write it (grouped with spaces or not); none unless it is 18 digits. */
export async function findAccountByNip(users: UserRepository, written: string): Promise<User | undefined> {
  const nip = normaliseNip(written);
  return /^\d{18}$/.test(nip) ? users.findByNip(nip) : undefined;
}
