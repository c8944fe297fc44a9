import { type Actor, recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import { recordLogin } from './log-in.js';
import { findSsoAccount, type SsoIdentity, ssoIdentity } from './sso-identity.js';
import type { SsoProblem } from './sso-provider.js';

type Services = { db: Db; users: UserRepository; audit: AuditRepository; clock: Clock };

/** Why an SSO login was refused: the provider's part (SsoProblem), no login under way, or the account's. */
export type SsoRefusal =
  | SsoProblem
  | 'expired'
  | 'no_identity'
  | 'unknown_account'
  | 'disabled'
  | 'other_account';

export type SsoLoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: SsoRefusal; identity: SsoIdentity | null };

/**
 * Decides an SSO login from the claims the provider vouched for: the account their NIP (or verified email) names,
 * if it is active, and, when the session is proving again who is at the keyboard, only the account already logged
 * in. A locked account may come in: the lock stops password guessing, which this way in does not involve.
 */
export async function logInWithSso(
  services: Services,
  options: { claims: Record<string, unknown>; nipClaim: string; actor: Actor; expectedUserId?: number },
): Promise<SsoLoginResult> {
  const identity = ssoIdentity(options.claims, options.nipClaim);
  const subject = typeof options.claims.sub === 'string' ? options.claims.sub.slice(0, 255) : null;
  const refuse = async (reason: SsoRefusal, account?: User): Promise<SsoLoginResult> => {
    await recordSsoRefusal(services, {
      actor: options.actor,
      reason,
      account,
      details: { ...identity, subject },
    });
    return { ok: false, reason, identity };
  };

  if (!identity) return refuse('no_identity');
  const user = await findSsoAccount(services.users, identity);
  if (!user) return refuse('unknown_account');
  if (user.status !== 'active') return refuse('disabled', user);
  if (options.expectedUserId !== undefined && user.id !== options.expectedUserId)
    return refuse('other_account', user);

  await inTransaction(services.db, () =>
    recordLogin(services, user, {
      actor: options.actor,
      action: 'login.sso_succeeded',
      at: services.clock.now(),
      details: { by: identity.by, subject, reauthentication: options.expectedUserId !== undefined },
    }),
  );
  return { ok: true, user };
}

/** Audits an SSO login that did not happen, with its reason (and what the provider said, when it got that far). */
export function recordSsoRefusal(
  services: Pick<Services, 'audit' | 'clock'>,
  refusal: { actor: Actor; reason: SsoRefusal; account?: User; details?: Record<string, unknown> },
): Promise<void> {
  return recordEvent(services.audit, {
    actor: refusal.actor,
    action: 'login.sso_failed',
    target: refusal.account ? { type: 'user', id: refusal.account.id } : undefined,
    details: { reason: refusal.reason, ...refusal.details },
    at: services.clock.now(),
  });
}
