import { createHash, randomBytes } from 'node:crypto';
import type { AuditAction } from '../audit/actions.js';
import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { User } from '../directory/types.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import { hasTakenOverAccount } from './account-access.js';
import { checkNewPassword, hashPassword, type PasswordProblem } from './password.js';
import type { MailedLinkPurpose, PasswordLink, PasswordLinkRepository } from './password-link-repository.js';

/** How long a link works: an invitation waits for someone to read their mail; a reset is for right now. */
export const LINK_LIFETIME_MS: Record<MailedLinkPurpose, number> = {
  invitation: 72 * 60 * 60 * 1000,
  reset: 60 * 60 * 1000,
};

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** What issuing or using a password link touches. */
export type PasswordLinkServices = {
  db: Db;
  users: UserRepository;
  audit: AuditRepository;
  clock: Clock;
  passwordLinks: PasswordLinkRepository;
  sessions: SessionRepository;
};

/** A link just made: its secret token, when it stops working, and the person and kind it was made for. */
export interface IssuedLink {
  token: string;
  expiresAt: Date;
  user: User;
  purpose: MailedLinkPurpose;
}

/**
 * Makes a new single-use link for a person and audits it, in one transaction that reads the person afresh: `permits`
 * decides on that record (a moment ago, in another process, they may have set a password, been disabled or had
 * their email changed), and so does the kind: an invitation (72 hours) for someone who has never taken the account
 * over, else a reset (an hour). Every older unused link of the person dies with it: only the newest link, sent to
 * the address on file now, works (the person it goes to still has that one). Returns undefined when not permitted.
 * The secret token only ever leaves in the mail, built from the returned `user` (or, without mail, once on an
 * admin's screen); the database keeps its sha256.
 */
export async function issuePasswordLink(
  services: PasswordLinkServices,
  options: { userId: number; actor: Actor; permits: (user: User) => boolean | Promise<boolean> },
): Promise<IssuedLink | undefined> {
  const token = randomBytes(32).toString('base64url');
  return inTransaction(services.db, async (): Promise<IssuedLink | undefined> => {
    const user = await services.users.findById(options.userId);
    if (!user || !(await options.permits(user))) return undefined;
    const purpose: MailedLinkPurpose = hasTakenOverAccount(user) ? 'reset' : 'invitation';
    const now = services.clock.now();
    const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS[purpose]);
    await services.passwordLinks.retireAll(user.id, now);
    await services.passwordLinks.insert({
      userId: user.id,
      purpose,
      tokenSha256: hashToken(token),
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      createdBy: options.actor.userId,
    });
    await recordEvent(services.audit, {
      actor: options.actor,
      action: 'password.link_issued',
      target: { type: 'user', id: user.id },
      details: { purpose, expiresAt: expiresAt.toISOString() },
      at: now,
    });
    return { token, expiresAt, user, purpose };
  });
}

/** The mailed link a token names, if it can still be used (see usableLink). */
export async function findUsableLink(
  services: { passwordLinks: PasswordLinkRepository; users: UserRepository; clock: Clock },
  token: string,
): Promise<{ link: PasswordLink; user: User } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const link = await services.passwordLinks.findByHash(hashToken(token));
  // An activation code is no token: it works only with its NIP, at /aktivasi.
  return link?.purpose === 'activation' ? undefined : usableLink(services, link);
}

/**
 * The link and its person when the link can still be used: not used, not expired, for an active account whose
 * password has not changed and who has not logged in (by password or SSO) since the link was made: a way in handed
 * out before the person took the account over must not outlive that (a letter lying on a desk, an old mail), and
 * only if it is the person's newest link. Every path that changes a password retires the links too; the date
 * checks keep that true for a path that forgets.
 */
export async function usableLink(
  services: { passwordLinks: PasswordLinkRepository; users: UserRepository; clock: Clock },
  link: PasswordLink | undefined,
): Promise<{ link: PasswordLink; user: User } | undefined> {
  if (!link || link.usedAt !== null || link.expiresAt <= services.clock.now().toISOString()) return undefined;
  // Issuing retires the older links, but two issued at once (two print runs on PostgreSQL, which do not wait for
  // each other) would both stay unretired: only the newest is ever usable.
  if ((await services.passwordLinks.newestIdOf(link.userId)) !== link.id) return undefined;
  const user = await services.users.findById(link.userId);
  if (user?.status !== 'active') return undefined;
  if (user.passwordChangedAt !== null && user.passwordChangedAt > link.createdAt) return undefined;
  if (user.lastLoginAt !== null && user.lastLoginAt > link.createdAt) return undefined;
  return { link, user };
}

export type SetPasswordResult =
  | { ok: true; user: User }
  | { ok: false; problem: 'unusable' | PasswordProblem };

/** Sets the password through a mailed link (see setPasswordThrough). */
export async function setPasswordByLink(
  services: PasswordLinkServices,
  options: { token: string; newPassword: string; actor: Actor },
): Promise<SetPasswordResult> {
  const found = await findUsableLink(services, options.token);
  if (!found) return { ok: false, problem: 'unusable' };
  return setPasswordThrough(services, {
    ...found,
    newPassword: options.newPassword,
    actor: options.actor,
    action: 'password.set_by_link',
  });
}

/**
 * Sets a password through a usable link (a mailed token or an activation code): checks the rules, then in one
 * transaction uses the link (once, even if two tabs submit), sets the password, clears a lockout, ends every
 * session of the account and audits it as `action`.
 */
export async function setPasswordThrough(
  services: PasswordLinkServices,
  options: { link: PasswordLink; user: User; newPassword: string; actor: Actor; action: AuditAction },
): Promise<SetPasswordResult> {
  const { link, user } = options;
  const problem = await checkNewPassword(options.newPassword, user);
  if (problem) return { ok: false, problem };
  const hash = await hashPassword(options.newPassword);
  return inTransaction(services.db, async (): Promise<SetPasswordResult> => {
    const now = services.clock.now();
    if (!(await services.passwordLinks.use(link.id, now))) return { ok: false, problem: 'unusable' };
    await services.passwordLinks.retireAll(user.id, now);
    await services.users.setPassword(user.id, hash, false, now);
    await services.users.clearLock(user.id, now);
    await services.sessions.destroyForUser(user.id, '');
    await recordEvent(services.audit, {
      actor: { ...options.actor, userId: user.id },
      action: options.action,
      target: { type: 'user', id: user.id },
      details: { purpose: link.purpose },
      at: now,
    });
    return { ok: true, user };
  });
}
