import type { Actor } from '../audit/record-event.js';
import { recordEvent } from '../audit/record-event.js';
import type { AuditRepository } from '../audit/repository.js';
import type { Clock } from '../core/clock.js';
import { checkNewPassword, hashPassword, type PasswordProblem } from '../credentials/password.js';
import type { PasswordLinkRepository } from '../credentials/password-link-repository.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { UserRepository } from '../directory/user-repository.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import type { KeyedQueue } from './keyed-queue.js';
import { checkPasswordAttempt } from './password-attempts.js';

export interface ChangePasswordOptions {
  userId: number;
  currentPassword: string;
  newPassword: string;
  actor: Actor;
  /** The session that asked; every other session of the user is ended. */
  sessionId: string;
}

export type ChangePasswordResult =
  | { ok: true }
  /** The current password was wrong (counted towards the lockout, like a failed login). */
  | { ok: false; field: 'current_password'; problem: 'wrong' }
  /** The account is locked: the caller must end every session of the user (endSession with 'terkunci'). */
  | { ok: false; field: 'current_password'; problem: 'locked' }
  | { ok: false; field: 'new_password'; problem: PasswordProblem };

export async function changePassword(
  services: {
    db: Db;
    users: UserRepository;
    audit: AuditRepository;
    sessions: SessionRepository;
    clock: Clock;
    passwordAttempts: KeyedQueue;
    passwordLinks: PasswordLinkRepository;
  },
  options: ChangePasswordOptions,
): Promise<ChangePasswordResult> {
  const { users, audit, sessions, clock } = services;
  const user = await users.findById(options.userId);
  if (!user) return { ok: false, field: 'current_password', problem: 'locked' };

  // A stolen or unattended session must not become a way to guess the password without limit.
  const outcome = await checkPasswordAttempt(services, {
    userId: user.id,
    password: options.currentPassword,
    actor: options.actor,
    failureAction: 'password.change_refused',
  });
  if (outcome === 'locked' || outcome === 'locked_out')
    return { ok: false, field: 'current_password', problem: 'locked' };
  if (outcome === 'wrong_password') return { ok: false, field: 'current_password', problem: 'wrong' };

  if (options.newPassword === options.currentPassword) {
    return { ok: false, field: 'new_password', problem: 'same_as_current' };
  }
  const problem = await checkNewPassword(options.newPassword, user);
  if (problem) return { ok: false, field: 'new_password', problem };

  const hash = await hashPassword(options.newPassword);
  await inTransaction(services.db, async () => {
    const now = clock.now();
    await users.setPassword(user.id, hash, false, now);
    // A reset link asked for earlier (perhaps by someone else) must not undo the change.
    await services.passwordLinks.retireAll(user.id, now);
    const endedSessions = await sessions.destroyForUser(user.id, options.sessionId);
    await recordEvent(audit, {
      actor: options.actor,
      action: 'password.changed',
      target: { type: 'user', id: user.id },
      details: { endedSessions },
      at: now,
    });
  });
  return { ok: true };
}
