import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import { passwordLinkMail } from '../credentials/password-link-mail.js';
import { issuePasswordLink, type PasswordLinkServices } from '../credentials/password-links.js';
import type { Mailer } from '../mail/mailer.js';
import { findAccount } from './find-account.js';

/** How often one account can be sent a reset link from the forgot-password form. */
export const RESET_EVERY_MS = 5 * 60 * 1000;

/**
 * What the forgot-password form sets off, after its answer has gone: looks the account up, and when it is active,
 * has an email and was not sent a link in the last few minutes (whoever asks: the form must not flood someone's
 * inbox), issues a link and mails it to the address on file, never to anyone else. Audited either way.
 */
export async function requestPasswordReset(
  services: PasswordLinkServices,
  mailer: Mailer,
  request: { username: string; actor: Actor; baseUrl: string; instanceName: string },
): Promise<void> {
  const account = await findAccount(services.users, request.username);
  const now = services.clock.now();
  let throttled = false;
  const issued =
    account &&
    (await issuePasswordLink(services, {
      userId: account.id,
      actor: request.actor,
      permits: async (user) => {
        const recent = await services.passwordLinks.latestCreatedAt(user.id);
        throttled = recent !== null && now.getTime() - new Date(recent).getTime() < RESET_EVERY_MS;
        return user.status === 'active' && user.email !== null && !throttled;
      },
    }));
  await recordEvent(services.audit, {
    actor: request.actor,
    action: 'password.reset_requested',
    target: account ? { type: 'user', id: account.id } : undefined,
    details: { username: request.username.slice(0, 100), sent: issued !== undefined, throttled },
    at: now,
  });
  if (!issued) return;
  // Someone who never set a password gets their invitation again (72 hours), not a one-hour reset.
  await mailer.send(
    passwordLinkMail({
      user: issued.user,
      purpose: issued.purpose,
      baseUrl: request.baseUrl,
      token: issued.token,
      instanceName: request.instanceName,
    }),
  );
}
