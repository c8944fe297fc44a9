import { normaliseNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';

/** The login name is an email address or a NIP (spaces allowed, as NIPs are often written grouped). */
export async function findAccount(users: UserRepository, username: string): Promise<User | undefined> {
  const trimmed = username.trim();
  if (trimmed.includes('@')) return users.findByEmail(trimmed);
  const nip = normaliseNip(trimmed);
  return /^\d{18}$/.test(nip) ? users.findByNip(nip) : undefined;
}
