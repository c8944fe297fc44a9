import { normaliseNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import { findAccountByNip } from './find-account.js';

/** Who the SSO provider says the person is, as far as Ikrar can match it to an account. */
export type SsoIdentity = { by: 'nip'; nip: string } | { by: 'email'; email: string };

/**
 * The NIP claim (a string, spaces allowed), or, only when the token has none, the email the provider says it has
 * verified; null when it carries neither. An unverified email names nobody: anyone may type one at many providers.
 */
export function ssoIdentity(claims: Record<string, unknown>, nipClaim: string): SsoIdentity | null {
  const nip = claims[nipClaim];
  if (typeof nip === 'string' && nip.trim() !== '') return { by: 'nip', nip: normaliseNip(nip).slice(0, 40) };
  const email = claims.email;
  if (claims.email_verified === true && typeof email === 'string' && email.trim() !== '') {
    return { by: 'email', email: email.trim().slice(0, 254) };
  }
  return null;
}

/** The account an identity names, if Ikrar has one. Accounts are never made from claims. */
export function findSsoAccount(users: UserRepository, identity: SsoIdentity): Promise<User | undefined> {
  return identity.by === 'nip' ? findAccountByNip(users, identity.nip) : users.findByEmail(identity.email);
}
