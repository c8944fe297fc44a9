import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { activationCodeHash, readActivationCode } from '../credentials/activation-code.js';
import type { PasswordLink, PasswordLinkRepository } from '../credentials/password-link-repository.js';
import { usableLink } from '../credentials/password-links.js';
import { normaliseNip } from '../directory/nip.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';

export type ActivationServices = {
  audit: AuditRepository;
  clock: Clock;
  passwordLinks: PasswordLinkRepository;
  users: UserRepository;
};

/**
 * The limiter of failed activation codes per NIP (`/aktivasi`): its counters are keyed on the NIP typed, so
 * anonymising a person forgets theirs.
 */
export const ACTIVATION_NIP_LIMITER = 'activation-nip';

/** Why a NIP and code opened nothing: kept in the audit log only; the person is told the same thing each time. */
type FailureReason = 'malformed' | 'unknown_nip' | 'wrong_code' | 'unusable';

/**
 * The activation a NIP and a typed code open: the person's usable activation code (not used, not expired, no
 * password set since, account active), or undefined. Each failure is audited with its reason.
 */
export async function checkActivationCode(
  services: ActivationServices,
  options: { nip: string; code: string; actor: Actor },
): Promise<{ link: PasswordLink; user: User } | undefined> {
  const nip = normaliseNip(options.nip);
  const code = readActivationCode(options.code);
  const fail = async (reason: FailureReason, user?: User) => {
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'activation.failed',
      target: user ? { type: 'user', id: user.id } : undefined,
      // Only a NIP: what was typed in its place may be the code itself.
      details: { reason, nip: /^[0-9]{18}$/.test(nip) ? nip : null },
      at: services.clock.now(),
    });
    return undefined;
  };
  if (!/^[0-9]{18}$/.test(nip) || code === null) return fail('malformed');
  const user = await services.users.findByNip(nip);
  if (!user) return fail('unknown_nip');
  const link = await services.passwordLinks.findByHash(activationCodeHash(user.id, code));
  if (link?.purpose !== 'activation' || link.userId !== user.id) return fail('wrong_code', user);
  const found = await usableLink(services, link);
  return found ?? fail('unusable', user);
}

/** The activation kept in a session between the code and the password: still usable, or undefined. */
export async function pendingActivation(
  services: ActivationServices,
  pending: { userId: number; linkId: number } | undefined,
): Promise<{ link: PasswordLink; user: User } | undefined> {
  if (!pending) return undefined;
  const link = await services.passwordLinks.findById(pending.linkId);
  return link?.purpose === 'activation' && link.userId === pending.userId
    ? usableLink(services, link)
    : undefined;
}
